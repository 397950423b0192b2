"""Errors Kuntahaku raises, one tree, each naming its input and the reason.

    KuntahakuError
    ├── InputError                 a file that cannot be indexed (the rest still is)
    │   ├── UnsupportedFileError   unknown extension
    │   ├── FileTooLargeError      over KUNTAHAKU_MAX_FILE_MB
    │   ├── EmptyFileError         zero bytes, or no text at all
    │   ├── EncodingError          text file that is not UTF-8
    │   ├── EncryptedPdfError      password-protected PDF
    │   ├── CorruptPdfError        truncated or damaged PDF
    │   └── NoTextLayerError       scanned PDF without text (OCR is not supported yet)
    ├── ManifestError              corpus/manifest.json unreadable or inconsistent
    └── IndexError_                index missing, or built with another model/analyzer
"""

from __future__ import annotations


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


class ManifestError(KuntahakuError):
    code = "bad_manifest"


class IndexError_(KuntahakuError):  # noqa: N801 - the builtin IndexError means something else
    code = "index_unavailable"
