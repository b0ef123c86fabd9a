"""The journal record decoder against arbitrary bytes (hypothesis, CPython)."""

import struct
from binascii import crc32

from core.journal_codec import SIZE, VERSION, encode, valid
from core.journal_reader import RecordError, decode, join
from hypothesis import given
from hypothesis import strategies as st


def sealed(body: bytes) -> bytes:
    return body + struct.pack("<I", crc32(body))


@given(st.binary(max_size=3 * SIZE), st.integers(0, 2 * SIZE))
def test_arbitrary_bytes_never_crash_the_decoder(data, at):
    try:
        record = decode(data, at)
    except RecordError:
        return
    # Whatever it accepted had a whole record there with a matching CRC.
    assert valid(data, at)
    assert struct.unpack_from("<I", data, at + 28)[0] == crc32(data[at : at + 28])
    assert record["seq"] == struct.unpack_from("<I", data, at + 4)[0]


@given(st.binary(min_size=SIZE - 5, max_size=SIZE - 5), st.integers(0, 255))
def test_well_sealed_garbage_decodes_or_is_refused_never_crashes(body, code):
    data = sealed(bytes([VERSION, code]) + body[: SIZE - 6])
    assert len(data) == SIZE
    try:
        record = decode(data)
    except RecordError as err:
        assert str(err).startswith("unknown event code")
        return
    join([record])


@given(
    st.integers(0, SIZE - 1),
    st.integers(1, 255),
    st.sampled_from([("session_end", "complete", 291, 12), ("error", "ValueError: boom"), ("prompt", 9, 0)]),
)
def test_a_damaged_record_is_never_accepted(byte, xor, record):
    data = bytearray(encode(record, 77, 1795503540, True, 3)[:SIZE])
    data[byte] ^= xor
    try:
        decode(data)
    except RecordError:
        return
    raise AssertionError("accepted a damaged record")
