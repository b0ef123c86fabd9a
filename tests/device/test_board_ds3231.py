# The DS3231 driver against a fake chip: BCD, the bytes on the bus, and the
# oscillator-stop flag deciding whether its time counts.
from board.ds3231 import DS3231, from_bcd, to_bcd
from fakes import FakeDS3231, FakeI2C


def chip():
    fake = FakeDS3231()
    bus = FakeI2C(devices={0x68: fake})
    return DS3231(bus), fake, bus


def test_bcd_both_ways():
    assert to_bcd(0) == 0x00
    assert to_bcd(9) == 0x09
    assert to_bcd(10) == 0x10
    assert to_bcd(59) == 0x59
    assert to_bcd(99) == 0x99
    for value in range(100):
        assert from_bcd(to_bcd(value)) == value


def test_present_only_when_the_chip_answers():
    ds, _, _ = chip()
    assert ds.present()
    assert not DS3231(FakeI2C(devices={0x3C: None})).present()


def test_a_fresh_chip_has_no_time():
    ds, _, _ = chip()
    assert ds.read() is None


def test_write_sends_the_time_in_bcd_then_clears_only_the_stop_flag():
    ds, fake, bus = chip()
    fake.regs[0x0F] = 0x80 | 0x08 | 0x01  # OSF, 32 kHz output on, alarm 1 flag
    ds.write(2026, 11, 24, 9, 30, 5)
    assert bus.writes == [
        # register 0, then s, min, h (24-hour), weekday (Tuesday = 2), date, month, year
        (0x68, bytes((0x00, 0x05, 0x30, 0x09, 0x02, 0x24, 0x11, 0x26))),
        (0x68, bytes((0x0F, 0x09))),
    ]
    assert ds.read() == (2026, 11, 24, 9, 30, 5)


def test_read_after_write_across_the_range():
    ds, _, _ = chip()
    for fields in ((2000, 1, 1, 0, 0, 0), (2024, 2, 29, 23, 59, 59), (2099, 12, 31, 12, 0, 30), (2100, 3, 1, 7, 8, 9)):
        ds.write(*fields)
        assert ds.read() == fields


def test_the_century_bit():
    ds, fake, _ = chip()
    ds.write(2150, 6, 15, 1, 2, 3)
    assert fake.regs[5] == 0x80 | 0x06
    assert fake.regs[6] == 0x50


def test_a_stopped_oscillator_means_no_time():
    ds, fake, _ = chip()
    fake.keep(2026, 11, 24, 9, 30, 5)
    assert ds.read() == (2026, 11, 24, 9, 30, 5)
    fake.regs[0x0F] |= 0x80
    assert ds.read() is None


def test_12_hour_mode_set_by_someone_else_reads_as_24_hours():
    ds, fake, _ = chip()
    fake.keep(2026, 11, 24, 0, 0, 0)
    for register, hour in ((0x40 | 0x12, 0), (0x40 | 0x01, 1), (0x40 | 0x11, 11), (0x60 | 0x12, 12), (0x60 | 0x09, 21)):
        fake.regs[2] = register
        assert ds.read()[3] == hour


def test_nonsense_in_the_registers_means_no_time():
    ds, fake, _ = chip()
    fake.keep(2026, 11, 24, 9, 30, 5)
    for reg, value in ((5, 0x13), (5, 0x00), (4, 0x00), (4, 0x31), (2, 0x24), (1, 0x60), (0, 0x60)):
        fake.keep(2026, 11, 24, 9, 30, 5)
        fake.regs[reg] = value
        assert ds.read() is None, (reg, value)
    fake.keep(2026, 2, 29, 0, 0, 0)  # 2026 is no leap year
    assert ds.read() is None
