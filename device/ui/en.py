# The screens' words in English: one text, a line a word, in the order of the
# indices in ui/screens.py (ui/zh.py holds the same in Chinese). One text, not a
# tuple or list of strings: on the board each string is an object of its own in
# the heap (or an interned one, kept for good), and a table of them one more; the
# screens draw a word from the text itself (ui/font.py).
#
# In order: the session (get ready, toes up moving, holding, toes down moving, holding,
# circles, paused, its two keys; the words around "Rep 4/12", "12 reps" and "3:35
# left"); idle (next prompt, today, 7 days); the prompt (two lines, its keys, the
# snoozes) and snoozed; done, stopped, today; pain and its keys; setting the clock
# by hand (the fields year to minute, the keys, confirming); the clock not set;
# the first-start notice (title, how, who it is not for, its key); a settings
# problem and what happens, a crash and what happens; the flash full (two lines in
# place of the next prompt on the idle screen); the reps done of a session stopped
# early; the prompt that can be snoozed no more; today's adherence (idle); the prompt's
# "not now"; settings problems counted, and the keys back to their defaults. "Rep " ends
# with its space, " reps" and " left" begin with theirs.
WORDS = """GET READY
TOES UP
HOLD
TOES DOWN
HOLD
CIRCLES
PAUSED
Press to resume
Hold to stop
Rep 
 reps
 left
Next %02d:00
%d/%d today
7d %d%%
Ankle
pumps
Press to start
Hold to snooze
Snoozed %dx
Snoozed
Again in %d min
Press to start now
Done
Stopped
%d today
Pain 0-10
Press +1, hold saves
Year
Month
Day
Hour
Minute
Press +1, double -1
Hold: OK
Clock not set
sync, or hold 5 s
Next in
%d min
ANKLE PUMPS
Toes up, toes down, every hour.
Not for ankle surgery, or a foot in a cast or splint.
Press to continue
Settings problem
Defaults in use
Error
Restarting
Memory full
please sync
Reps %d
No more snoozes
%d%%
Twice: not now
%d settings problems
Default for"""  # noqa: W291
