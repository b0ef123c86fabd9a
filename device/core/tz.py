# Time zones as POSIX TZ rules ("EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3"),
# the tail line of every TZif file, parsed into the list of small integers core.clock.offset()
# reads. Summer time rules are of the form Mm.w.d[/time] (the d-th day of the week, Sunday 0,
# of week w of month m, 5 meaning the last; the time 02:00 if none is given); the Jn and n
# forms (a day of the year) are refused: no zone of the tz database uses them. Loaded at
# power-on with the settings and let go with them: the coach keeps only the list.


def _int(b, i):
    """(the number of up to 3 digits at b[i:], the index after it: i if there is none)."""
    v = 0
    j = i
    while j < len(b) and j - i < 3 and 48 <= b[j] <= 57:
        v = v * 10 + b[j] - 48
        j += 1
    return v, j


def _clock(b, i, most):
    """([+-]hh[:mm[:ss]] at b[i:] in seconds, hours at most `most`; the index after it, or -1)."""
    sign = 1
    if i < len(b) and b[i] in b"+-":
        sign = 44 - b[i]  # + is 43, - is 45
        i += 1
    h, j = _int(b, i)
    if j == i or h > most:
        return 0, -1
    s = h * 3600
    for scale in (60, 1):
        if j == len(b) or b[j] != 58:  # :
            break
        v, k = _int(b, j + 1)
        if k != j + 3 or v > 59:
            return 0, -1
        s += v * scale
        j = k
    return sign * s, j


def _name(b, i):
    """The index after the zone name at b[i:] (3 letters or more, or <...> of letters, digits,
    + and -), or -1."""
    n = len(b)
    j = i
    if i < n and b[i] == 60:  # <
        j += 1
        while j < n and (48 <= b[j] <= 57 or 97 <= b[j] | 32 <= 122 or b[j] in b"+-"):
            j += 1
        return j + 1 if j < n and b[j] == 62 and j - i > 3 else -1
    while j < n and 97 <= b[j] | 32 <= 122:
        j += 1
    return j if j - i >= 3 else -1


def parse(text):
    """A POSIX TZ rule -> its zone (the list core.clock.offset() reads, then the spans of its
    standard and summer names in the text, for the host); or what is wrong with it: 0 it is
    not a rule, 1 its summer time begins or ends on a day of the year (Jn, n), 2 it names a
    summer time but not its rules."""
    if type(text) is not str:
        return 0
    b = text.encode()
    n = len(b)
    i = _name(b, 0)
    if i < 0:
        return 0
    names = [0, i, i, i]
    std, i = _clock(b, i, 24)
    if i < 0:
        return 0
    # POSIX counts west of UTC.
    std = dst = -std
    rules = [0] * 8
    if i < n:
        names[2] = i
        names[3] = i = _name(b, i)
        if i < 0:
            return 0
        dst += 3600
        if i < n and b[i] != 44:  # not a ,
            dst, i = _clock(b, i, 24)
            if i < 0:
                return 0
            dst = -dst
        if i == n:
            return 2
        for at in (0, 4):
            if i == n or b[i] != 44:
                return 0
            i += 1
            if i < n and b[i] != 77:  # M
                return 1 if b[i] == 74 or 48 <= b[i] <= 57 else 0  # J or a digit
            i += 1
            for k in range(3):
                v, j = _int(b, i)
                if j == i or not (1, 1, 0)[k] <= v <= (12, 5, 6)[k]:
                    return 0
                rules[at + k] = v
                i = j
                if k < 2:
                    if i == n or b[i] != 46:  # .
                        return 0
                    i += 1
            rules[at + 3] = 7200
            if i < n and b[i] == 47:  # /
                rules[at + 3], i = _clock(b, i + 1, 167)
                if i < 0:
                    return 0
        if i != n:
            return 0
    return [std, dst] + rules + [std, 0, 0] + names


def zone(settings):
    """The zone the settings put the device in: their tz rule, else utc_offset_minutes all year."""
    z = parse(settings["tz"])
    if type(z) is int:
        fixed = settings["utc_offset_minutes"] * 60
        z = [fixed, fixed, 0, 0, 0, 0, 0, 0, 0, 0, fixed, 0, 0, 0, 0, 0, 0]
    return z
