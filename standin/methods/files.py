"""Files: sendPhoto, sendDocument and getFile.

An upload (multipart) is stored under a new file_id; a known file_id is sent again as is;
an HTTP URL is accepted as an empty file.  getFile answers the ``file_path`` that
``api.file_content`` (and the HTTP server's download route) read.
"""

from __future__ import annotations

from typing import Any

from standin.methods.messages import MessageMethods
from standin.records import JSON, ApiError, UploadedFile
from standin.spec import FileRef

__all__ = ["FileMethods"]


class FileMethods(MessageMethods):
    """Sending photos and documents, and getFile."""

    def _upload(
        self, value: Any, uploads: dict[str, UploadedFile], kind: str
    ) -> tuple[bytes, str, str | None]:
        """Resolve an InputFile-or-String parameter to (content, file_id, filename)."""
        if isinstance(value, FileRef):
            upload = uploads[value.name]
            mime = upload.mime_type or (
                "image/jpeg" if kind == "photo" else "application/octet-stream"
            )
            file_id, _ = self.store_file(upload.content, upload.filename, mime)
            return upload.content, file_id, upload.filename
        if isinstance(value, str):
            stored = self._files.get(value)
            if stored is not None:
                return stored.content, stored.file_id, stored.filename
            if value.startswith(("http://", "https://")):
                filename = value.rsplit("/", 1)[-1] or None
                file_id, _ = self.store_file(b"", filename, None)
                return b"", file_id, filename
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _send_photo(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_for_send(params["chat_id"])
        content, file_id, _ = self._upload(params["photo"], uploads, "photo")
        sent = self._new_sent(
            "sendPhoto", chat, params, photo=content, file_id=file_id, **self._media_caption(params)
        )
        return self._sent_json(sent)

    def _send_document(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_for_send(params["chat_id"])
        content, file_id, filename = self._upload(params["document"], uploads, "document")
        sent = self._new_sent(
            "sendDocument",
            chat,
            params,
            document=content,
            file_id=file_id,
            filename=filename,
            **self._media_caption(params),
        )
        return self._sent_json(sent)

    def _get_file(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        stored = self._files.get(params["file_id"])
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": len(stored.content),
            "file_path": stored.path,
        }
