//! The SQLite file's identity (device and inode) as opened, so that a file deleted or replaced
//! under the running process is noticed before anything is written into the unlinked one.

use std::path::PathBuf;

use super::StoreError;

#[derive(Debug)]
pub(super) struct StoreFile {
    path: PathBuf,
    identity: Identity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    device: u64,
    inode: u64,
}

fn identity(path: &std::path::Path) -> std::io::Result<Identity> {
    let metadata = std::fs::metadata(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(Identity { device: metadata.dev(), inode: metadata.ino() })
    }
    #[cfg(not(unix))]
    {
        // Without inodes, the creation time tells a replaced file apart.
        let created = metadata.created()?.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Ok(Identity { device: 0, inode: created.as_nanos() as u64 })
    }
}

impl StoreFile {
    pub(super) fn opened(path: PathBuf) -> Result<Self, StoreError> {
        let identity = identity(&path)
            .map_err(|e| StoreError::Open(format!("cannot read the store file {}: {e}", path.display())))?;
        Ok(Self { path, identity })
    }

    /// Whether the path still names the file opened.
    pub(super) fn is_unchanged(&self) -> bool {
        identity(&self.path).is_ok_and(|now| now == self.identity)
    }

    pub(super) fn path_display(&self) -> String {
        self.path.display().to_string()
    }
}
