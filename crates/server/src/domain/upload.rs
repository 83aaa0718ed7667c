//! Checking an uploaded file as its bytes stream in: not over the size limit, not empty,
//! and of an accepted type decided from its leading bytes ([`super::media::sniff`]).
//!
//! Policy: pure and incremental. The answer never depends on how the body was cut into
//! chunks, except that a file both over the limit and of a refused type may be refused
//! for either; a file is refused as soon as it goes over the limit or its leading bytes
//! show a refused type, and the caller stores a chunk only after [`UploadCheck::feed`]
//! accepted it. `files::EvidenceFiles::stage` streams every upload through it; the
//! `upload` fuzz target feeds it arbitrary multipart bodies.

use refund_api::{FoundKind, MediaType};

use super::media::{SNIFF_LEN, sniff};

/// Why a file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLarge { max: u64 },
    Empty,
    Unsupported(FoundKind),
}

/// The running check of one file.
#[derive(Debug, Clone)]
pub struct UploadCheck {
    max_bytes: u64,
    size: u64,
    head: Vec<u8>,
    /// Decided once [`SNIFF_LEN`] bytes are in; a shorter file is sniffed when it ends.
    sniffed: Option<Result<MediaType, FoundKind>>,
}

impl UploadCheck {
    #[must_use]
    pub fn new(max_bytes: u64) -> Self {
        Self {
            max_bytes,
            size: 0,
            head: Vec::with_capacity(SNIFF_LEN),
            sniffed: None,
        }
    }

    /// Takes the file's next chunk. An error refuses the file: keep nothing of it.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Refusal> {
        self.size = self.size.saturating_add(chunk.len() as u64);
        if self.size > self.max_bytes {
            return Err(Refusal::TooLarge { max: self.max_bytes });
        }
        if self.sniffed.is_none() {
            let wanted = SNIFF_LEN.saturating_sub(self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..wanted]);
            if self.head.len() >= SNIFF_LEN {
                self.sniffed = Some(sniff(&self.head));
            }
        }
        match self.sniffed {
            Some(Err(found)) => Err(Refusal::Unsupported(found)),
            _ => Ok(()),
        }
    }

    /// The bytes taken so far.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// After the last chunk: the file's type, or why it is refused.
    pub fn finish(&self) -> Result<MediaType, Refusal> {
        if self.size > self.max_bytes {
            return Err(Refusal::TooLarge { max: self.max_bytes });
        }
        if self.size == 0 {
            return Err(Refusal::Empty);
        }
        match self.sniffed {
            Some(sniffed) => sniffed,
            None => sniff(&self.head),
        }
        .map_err(Refusal::Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(len: usize) -> Vec<u8> {
        let mut file = b"%PDF-1.7\n".to_vec();
        file.resize(len, b'x');
        file
    }

    fn check_in_chunks(file: &[u8], chunk: usize, max: u64) -> Result<MediaType, Refusal> {
        let mut check = UploadCheck::new(max);
        for piece in file.chunks(chunk) {
            check.feed(piece)?;
        }
        check.finish()
    }

    #[test]
    fn the_answer_does_not_depend_on_the_chunking() {
        for len in [9, SNIFF_LEN - 1, SNIFF_LEN, SNIFF_LEN + 1, 500] {
            for chunk in [1, 7, SNIFF_LEN, 1000] {
                assert_eq!(
                    check_in_chunks(&pdf(len), chunk, 500),
                    Ok(MediaType::Pdf),
                    "{len}/{chunk}"
                );
            }
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_as_soon_as_it_goes_over() {
        let mut check = UploadCheck::new(100);
        assert_eq!(check.feed(&pdf(100)), Ok(()));
        assert_eq!(check.feed(b"x"), Err(Refusal::TooLarge { max: 100 }));
        assert_eq!(check.finish(), Err(Refusal::TooLarge { max: 100 }));
        assert_eq!(
            check_in_chunks(&pdf(101), 1000, 100),
            Err(Refusal::TooLarge { max: 100 })
        );
    }

    #[test]
    fn empty_and_unaccepted_files_are_refused() {
        assert_eq!(UploadCheck::new(100).finish(), Err(Refusal::Empty));
        assert_eq!(
            check_in_chunks(b"just some text\n", 3, 100),
            Err(Refusal::Unsupported(FoundKind::Text))
        );
        let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
        elf.resize(SNIFF_LEN * 2, 0);
        let mut check = UploadCheck::new(1000);
        assert_eq!(
            check.feed(&elf[..SNIFF_LEN]),
            Err(Refusal::Unsupported(FoundKind::Program)),
            "refused once the leading bytes are in"
        );
    }
}
