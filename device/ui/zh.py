# The screens' words in Simplified Chinese, as a ward nurse says them to a patient:
# one text, a line a word, in the order of ui/en.py. The terms are those of the
# exercise's source article (Peking University Third Hospital's rehabilitation
# centre): 勾脚 (hook the toes up) and 绷脚 (point them down), held (保持) about
# ten seconds; ankle circles (绕圈) optional; not for surgery on the ankle itself or
# a foot fixed in a cast or splint (石膏或夹板固定).
#
# Chinese text is drawn from GNU Unifont's 16x16 glyphs (ui/zh.bin, built by
# tools/zh_glyphs.py from exactly the characters here), at 16 px or doubled to 32 px;
# letters and digits come from the built-in font, as tall as the characters. A
# line at 16 px holds seven characters, one at 32 px three. An empty line is a word
# the Chinese screen does without; spaces are where a paragraph may break.
WORDS = """准备
勾脚
保持
绷脚
保持
绕圈
暂停
按一下继续
按住结束



下次%02d:00
今天%d/%d
7天%d%%
做踝泵

按一下开始
按住稍后
已推迟%d次
已推迟
%d分钟后提醒
按一下现在开始
做完了
已停止
今天%d次
疼痛0-10
按+1 按住保存
年份
月份
日期
小时
分钟
按+1 双击-1
按住确定
时钟未设置
接电脑或按住5秒

%d分钟后提醒


踝关节手术后、 石膏或夹板 固定者不宜
按一下继续
设置有误
已用默认设置
出错了
正在重启
存储已满请同步

做了%d次
不能再推迟了
%d%%
双击这次不做
设置有%d处错误
以下改用默认值"""
