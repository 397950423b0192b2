"""Errors Kuntahaku raises, one tree, each naming its input and the reason.

    KuntahakuError
    ├── InputError                 a file that cannot be indexed (the rest still is)
    │   ├── UnsupportedFileError   unknown extension
    │   ├── FileTooLargeError      over KUNTAHAKU_MAX_FILE_MB
    │   ├── EmptyFileError         zero bytes, or no text at all
    │   ├── EncodingError          text file that is not UTF-8
    │   ├── EncryptedPdfError      password-protected PDF
    │   ├── CorruptPdfError        truncated or damaged PDF
    │   ├── NoTextLayerError       no text layer, and OCR found no text (or Tesseract is missing)
    │   ├── RecordError            a file of decision records that is not JSON, has no
    │   │                          "decisions" list, or holds no usable record
    │   ├── OutsideCorpusError     a symlink that leads out of the corpus folder
    │   └── ParseTimeoutError      parsing one file took longer than KUNTAHAKU_FILE_TIMEOUT
    ├── ManifestError              corpus/manifest.json unreadable or inconsistent
    ├── IndexError_                index missing, or built with another model/analyzer
    ├── StorageError               the index or the vector cache cannot be written (disk full,
    │                              read-only folder, no permission); the live index is unchanged
    └── ClusterError               KUNTAHAKU_RAY_ADDRESS is set but Ray is not installed, the
                                   cluster cannot be reached, or it failed the ingest
"""

from __future__ import annotations

import errno
import sqlite3


class KuntahakuError(Exception):
    code = "error"


class InputError(KuntahakuError):
    code = "bad_input"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)  # both in args, so the error survives a process pool
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class UnsupportedFileError(InputError):
    code = "unsupported_file"


class FileTooLargeError(InputError):
    code = "file_too_large"


class EmptyFileError(InputError):
    code = "empty_file"


class EncodingError(InputError):
    code = "bad_encoding"


class EncryptedPdfError(InputError):
    code = "encrypted_pdf"


class CorruptPdfError(InputError):
    code = "corrupt_pdf"


class NoTextLayerError(InputError):
    code = "no_text_layer"


class RecordError(InputError):
    code = "bad_records"


class OutsideCorpusError(InputError):
    code = "outside_corpus"


class ParseTimeoutError(InputError):
    code = "parse_timeout"


class ManifestError(KuntahakuError):
    code = "bad_manifest"


class IndexError_(KuntahakuError):  # noqa: N801 - the builtin IndexError means something else
    code = "index_unavailable"


class StorageError(KuntahakuError):
    code = "storage_error"


class ClusterError(KuntahakuError):
    code = "cluster_error"


_ERRNO_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}
# SQLite says these in words, without an errno
_SQLITE_REASONS = (
    ("disk is full", "no space left on the device"),
    ("readonly database", "the file is read-only"),
    ("unable to open database", "the file cannot be opened"),
    ("disk i/o error", "a disk I/O error"),
)


def storage_reason(exc: OSError | sqlite3.Error) -> str:
    """A named reason for a failed write ('no space left on the device (ENOSPC)')."""
    if isinstance(exc, OSError) and exc.errno is not None:
        name = errno.errorcode.get(exc.errno, str(exc.errno))
        return f"{_ERRNO_REASONS.get(exc.errno, exc.strerror or 'an OS error')} ({name})"
    text = str(exc).lower()
    for needle, reason in _SQLITE_REASONS:
        if needle in text:
            return f"{reason} (SQLite: {exc})"
    return f"{type(exc).__name__}: {exc}"
