from core.clock import minutes_of_day
from core.plan import session_minutes
from core.settings import DEFAULTS, parse, validate


def test_empty_file_gives_defaults_and_no_problems():
    settings, problems = parse("{}")
    assert settings == DEFAULTS
    assert problems == []


def test_partial_file_merges_over_defaults():
    settings, problems = parse('{"hold_seconds": 8, "cadence": "rhythmic", "circles": true}')
    assert problems == []
    assert settings["hold_seconds"] == 8
    assert settings["cadence"] == "rhythmic"
    assert settings["circles"] is True
    assert settings["session_minutes"] == 5
    assert settings["active_start"] == "07:00"


def test_corrupt_json_gives_defaults_with_one_problem():
    settings, problems = parse('{"hold_seconds": 8')
    assert settings == DEFAULTS
    assert problems == ["the file is not valid JSON; using defaults"]


def test_non_object_is_rejected_whole():
    settings, problems = parse("[1, 2]")
    assert settings == DEFAULTS
    assert problems == ["settings must be a JSON object, got [1, 2]; using defaults"]


def test_the_screens_speak_english_or_chinese():
    assert DEFAULTS["language"] == "en"
    assert parse('{"language": "zh"}') == (dict(DEFAULTS, language="zh"), [])
    for wrong, shown in (("ZH", '"ZH"'), ("zh-CN", '"zh-CN"'), (["zh"], '["zh"]'), (None, "null")):
        assert validate({"language": wrong})[1] == ['language must be "en" or "zh", got %s; using "en"' % shown]


def test_unknown_key_is_ignored_with_a_problem():
    settings, problems = parse('{"hold_secs": 8}')
    assert settings == DEFAULTS
    assert problems == ['unknown setting "hold_secs" ignored']


def test_every_error_message():
    raw = {
        "active_start": "7am",
        "active_end": "24:00",
        "utc_offset_minutes": 900,
        "session_minutes": 0,
        "cadence": "fast",
        "language": "fr",
        "hold_seconds": "10",
        "move_seconds": 2.5,
        "pumps_per_minute": 41,
        "circles": 1,
        "snooze_minutes": True,
        "snooze_max": -1,
        "miss_minutes": 60,
        "reminder_minutes": None,
        "pain_check": "yes",
        "ramp_start_minutes": 31,
        "ramp_step_minutes": 0,
        "volume": 4,
        "display_dim_seconds": 4,
        "display_off_seconds": 3601,
    }
    settings, problems = validate(raw)
    assert settings == DEFAULTS
    assert problems == [
        'active_end must be a time HH:MM (24-hour), got "24:00"; using "22:00"',
        'active_start must be a time HH:MM (24-hour), got "7am"; using "07:00"',
        'cadence must be "hold" or "rhythmic", got "fast"; using "hold"',
        "circles must be true or false, got 1; using false",
        "display_dim_seconds must be 5 to 600, got 4; using 30",
        "display_off_seconds must be 10 to 3600, got 3601; using 120",
        'hold_seconds must be a whole number, got "10"; using 10',
        'language must be "en" or "zh", got "fr"; using "en"',
        "miss_minutes must be 5 to 55, got 60; using 30",
        "move_seconds must be a whole number, got 2.5; using 2",
        'pain_check must be true or false, got "yes"; using false',
        "pumps_per_minute must be 2 to 40, got 41; using 20",
        "ramp_start_minutes must be 0 to 30, got 31; using 0",
        "ramp_step_minutes must be 1 to 10, got 0; using 1",
        "reminder_minutes must be a whole number, got null; using 5",
        "session_minutes must be 1 to 30, got 0; using 5",
        "snooze_max must be 0 to 5, got -1; using 3",
        "snooze_minutes must be a whole number, got true; using 10",
        "utc_offset_minutes must be -720 to 840, got 900; using 0",
        "volume must be 0 to 3, got 4; using 2",
    ]


def test_good_values_survive_beside_bad_ones():
    settings, problems = validate({"volume": 0, "hold_seconds": 99, "active_start": "22:30", "active_end": "06:15"})
    assert settings["volume"] == 0
    assert settings["hold_seconds"] == 10
    assert settings["active_start"] == "22:30"
    assert settings["active_end"] == "06:15"
    assert problems == ["hold_seconds must be 3 to 30, got 99; using 10"]


def test_display_off_before_dim_is_rejected_as_a_pair():
    settings, problems = validate({"display_dim_seconds": 300, "display_off_seconds": 60})
    assert settings["display_dim_seconds"] == 30
    assert settings["display_off_seconds"] == 120
    assert problems == ["display_off_seconds (60) must not be less than display_dim_seconds (300); using 120 and 30"]


def test_validation_never_raises_on_odd_input():
    for text in ("", "null", "3", '"x"', "{", '{"volume": {}}', '{"volume": []}', "\x00", '{"": 1}'):
        settings, problems = parse(text)
        assert sorted(settings) == sorted(DEFAULTS)
        assert problems


def test_input_dict_is_not_modified():
    raw = {"volume": 9}
    validate(raw)
    assert raw == {"volume": 9}


def test_times_of_day():
    assert minutes_of_day("00:00") == 0
    assert minutes_of_day("07:30") == 450
    assert minutes_of_day("23:59") == 1439
    for bad in ("7:30", "24:00", "12:60", "12-30", "ab:cd", 730, None, "12:3 "):
        assert minutes_of_day(bad) is None, bad


def test_gentle_start_ramp():
    settings, _ = validate({"ramp_start_minutes": 2, "ramp_step_minutes": 1, "session_minutes": 5})
    assert [session_minutes(settings, day) for day in range(6)] == [2, 3, 4, 5, 5, 5]
    settings, _ = validate({"ramp_start_minutes": 0})
    assert session_minutes(settings, 0) == 5


# Whatever settings.json holds, the defaults and one problem: the device boots on them.
REFUSED = (
    (b'{"volume": "\xff"}', "the file is not UTF-8 text"),
    (b'{"volume": 1}\xff', "the file is not valid JSON"),
    # Surrogates and overlong forms, which MicroPython's own check lets through.
    (b'{"volume": "\xed\xa0\x80"}', "the file is not UTF-8 text"),
    (b'{"volume": "\xc0\x80"}', "the file is not UTF-8 text"),
    (b'{"volume": "\xf4\x90\x80\x80"}', "the file is not UTF-8 text"),
    (b'{"volume": "\xe2\x82"}', "the file is not UTF-8 text"),
    (b"[" * 100000, "the file is over 4096 bytes"),
    (b"[" * 2000 + b"]" * 2000, "the file nests more than 8 levels deep"),
    (b'{"a": [[[[[[[[1]]]]]]]]}', "the file nests more than 8 levels deep"),
    (b'{"volume": 1' + b"0" * 5000 + b"}", "the file is over 4096 bytes"),
    (b'{"volume": 1000000000000}', "the file has a number of more than 12 characters"),
    (b'{"volume": "' + b"x" * 200000 + b'"}', "the file is over 4096 bytes"),
    (b" " * 4097, "the file is over 4096 bytes"),
    # What MicroPython's json takes and CPython's refuses: refused on both.
    (b'{"volume": 1}\x00\x00', "the file is not valid JSON"),
    (b'{"volume": 1,}', "the file is not valid JSON"),
    (b'{"volume": [1,]}', "the file is not valid JSON"),
    (b'{"volume": 01}', "the file is not valid JSON"),
    (b'{"volume": 1.}', "the file is not valid JSON"),
    (b'{"volume" 1}', "the file is not valid JSON"),
    (b'{"volume": 1 "circles": true}', "the file is not valid JSON"),
    (b'{"volume": [1 2]}', "the file is not valid JSON"),
    (b'{"circles": true false}', "the file is not valid JSON"),
    (b'{"cadence": "a\tb"}', "the file is not valid JSON"),
    (b'{"cadence": "\\x"}', "the file is not valid JSON"),
    (b'{"cadence": "\\u12"}', "the file is not valid JSON"),
    # What CPython's json takes and MicroPython's refuses.
    (b'{"volume": NaN}', "the file is not valid JSON"),
    (b'{"volume": Infinity}', "the file is not valid JSON"),
    (b'{"volume": -}', "the file is not valid JSON"),
    (b'{"volume": truex}', "the file is not valid JSON"),
    (b"", "the file is not valid JSON"),
    (b'{"volume": 1}]', "the file is not valid JSON"),
)


def test_any_content_gives_the_defaults_and_one_problem():
    for data, problem in REFUSED:
        settings, problems = parse(data)
        assert settings == DEFAULTS, data[:40]
        assert problems == [problem + "; using defaults"], (data[:40], problems)


def test_strict_json_is_read_alike_on_both_runtimes():
    settings, problems = parse(
        b'\t{ "volume" : 1, "cadence": "rhyth\\u006dic", "circles": true,\r\n "hold_seconds": 1e1,'
        b' "move_seconds": -0, "x\\"\\\\\\/\\n\\r\\t": [{}, [], null, false, 0.5E-3] }\n'
    )
    assert (settings["volume"], settings["cadence"], settings["circles"]) == (1, "rhythmic", True)
    assert problems == [
        "hold_seconds must be a whole number, got 10.0; using 10",
        "move_seconds must be 1 to 5, got 0; using 2",
        'unknown setting "x\\"\\\\/\\n\\r\\t" ignored',
    ]
    # (Each runtime's json shows a non-ASCII character its own way.)
    assert parse('{"cadence": "\u00e9", "volume": 0}')[0] == dict(DEFAULTS, volume=0)
    assert parse(b'{"volume": 3}  ') == (dict(DEFAULTS, volume=3), [])


def test_problems_are_bounded_in_number_and_length():
    many = b"{" + b",".join(b'"k%03d": 0' % i for i in range(400)) + b"}"
    settings, problems = parse(many)
    assert settings == DEFAULTS
    assert problems == ['unknown setting "k%03d" ignored' % i for i in range(7)] + ["and 393 more problems"]
    settings, problems = parse(b'{"cadence": "' + b"x" * 3000 + b'", "' + b"y" * 1000 + b'": 1}')
    assert problems == [
        'cadence must be "hold" or "rhythmic", got "' + "x" * 37 + '..; using "hold"',
        'unknown setting "' + "y" * 37 + ".. ignored",
    ]
