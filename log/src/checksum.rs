//! Row checksums: SQLite does not checksum its pages, so a flipped byte in
//! a stored change would otherwise read back as another change, or as none.

/// CRC-32 (IEEE 802.3, the checksum of zlib and gzip) of a row: its
/// revision (8 bytes, little-endian) and then its text, so a row moved to
/// another revision fails the check as well as a row whose text changed.
/// CRC-32 detects every error of up to 3 bits and every burst of up to 32
/// bits in rows of the sizes stored here.
pub(crate) fn row_checksum(revision: u64, text: &[u8]) -> u32 {
    let crc = update(!0, &revision.to_le_bytes());
    !update(crc, text)
}

fn update(mut crc: u32, bytes: &[u8]) -> u32 {
    for &byte in bytes {
        let index = (crc ^ u32::from(byte)) & 0xFF;
        #[expect(
            clippy::indexing_slicing,
            reason = "the index is masked to 0..=255 and the table has 256 entries"
        )]
        let entry = TABLE[index as usize];
        crc = (crc >> 8) ^ entry;
    }
    crc
}

/// The reflected polynomial 0x04C11DB7, one entry per byte value.
#[expect(
    clippy::indexing_slicing,
    reason = "the loop runs over the table's 256 entries, at compile time"
)]
const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut crc = byte as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[byte] = crc;
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::update;

    #[test]
    fn crc32_of_the_standard_check_string_is_cbf43926() {
        assert_eq!(!update(!0, b"123456789"), 0xCBF4_3926);
    }
}
