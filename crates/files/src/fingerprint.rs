//! A fingerprint of bytes (FNV-1a, 64 bits): a name that changes when any byte does, for files
//! this program wrote or read (the studio's project version, the published engine's folder);
//! not a defence against anyone.

/// FNV-1a over everything written into it.
#[derive(Debug, Clone, Copy)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    /// Adds `bytes`.
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The fingerprint as 16 hexadecimal digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_64() {
        // The published FNV-1a test vectors.
        assert_eq!(Fingerprint::default().hex(), "cbf29ce484222325");
        let mut f = Fingerprint::default();
        f.write(b"a");
        assert_eq!(f.hex(), "af63dc4c8601ec8c");
        let mut g = Fingerprint::default();
        g.write(b"foobar");
        assert_eq!(g.hex(), "85944171f73967e8");
    }
}
