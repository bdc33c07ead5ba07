"""Two-step external file upload (what `WebClient.files_upload_v2` calls), as a WebAPI mixin.

1. `files.getUploadURLExternal(filename, length)` → `upload_url` (a sandbox URL) + `file_id`;
2. the client POSTs the bytes to `upload_url` (`server.SandboxServer.upload`);
3. `files.completeUploadExternal(files=[{id, title}], channel_id?, channels?, initial_comment?)`
   shares the files: an Entry of kind "file" in each conversation.
Files stay downloadable at `url_private_download` with `Authorization: Bearer <bot token>`.

A person's upload (`Driver.upload`) is stored by `add_file` the same way, with its `user`.
"""

from __future__ import annotations

import mimetypes
import time
from typing import TYPE_CHECKING

from . import store
from .errors import ApiError

if TYPE_CHECKING:
    from .sandbox import Sandbox

# Slack's `filetype` where it differs from the extension (https://api.slack.com/types/file)
_FILETYPES = {"txt": "text", "text": "text", "jpeg": "jpg", "md": "markdown", "py": "python"}


def guess_types(name: str) -> tuple[str, str]:
    """(mimetype, Slack filetype) from the file name: "r.csv" → ("text/csv", "csv")."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    mimetype = mimetypes.guess_type(f"x.{ext}")[0] if ext else None
    return mimetype or "application/octet-stream", _FILETYPES.get(ext, ext or "binary")


def add_file(
    sb: Sandbox, name: str, data: bytes, *, user: str, title: str = "", channels: list[str]
) -> str:
    """Store a complete, shared file (bytes known) uploaded by `user`; return its `F…` id."""
    fid = sb.state.new_id("F")
    with sb.state.lock:
        sb.state.files[fid] = {
            "name": name,
            "length": len(data),
            "data": data,
            "alt_txt": None,
            "completed": True,
            "title": title or name,
            "created": int(time.time()),
            "channels": list(channels),
            "user": user,
        }
    return fid


def file_object(sb: Sandbox, fid: str) -> dict:
    """The file object in Slack's shape (url_private_download needs the bot token)."""
    f = sb.state.files[fid]
    name = f["name"]
    url = f"{sb.base_url}files/{fid}/{name}"
    mimetype, filetype = guess_types(name)
    created = f.get("created", int(time.time()))
    return {
        "id": fid,
        "created": created,
        "timestamp": created,
        "name": name,
        "title": f.get("title") or name,
        "mimetype": mimetype,
        "filetype": filetype,
        "user": f.get("user") or sb.bot_user_id,
        "size": len(f["data"] or b""),
        "url_private": url,
        "url_private_download": url + "?download=1",
        "permalink": f"https://{sb.workspace.team_domain}.slack.com/files/{fid}",
        "channels": f.get("channels", []),
    }


class FileMethods:
    """files.* methods; mixed into `webapi.WebAPI` (uses its `sb`, `_conversation`, ...)."""

    def files_get_upload_url(self, params: dict) -> dict:
        """files.getUploadURLExternal(filename, length) → upload_url + file_id."""
        if not params.get("filename") or params.get("length") in (None, ""):
            raise ApiError("invalid_arguments")
        try:
            length = int(params["length"])
        except ValueError as exc:
            raise ApiError("invalid_arguments") from exc
        fid = self.sb.state.new_id("F")
        with self.sb.state.lock:
            self.sb.state.files[fid] = {
                "name": params["filename"],
                "length": length,
                "data": None,
                "alt_txt": params.get("alt_txt"),
                "completed": False,
            }
        return {"upload_url": f"{self.sb.base_url}upload/{fid}", "file_id": fid}

    def file_object(self, fid: str) -> dict:
        """The file object in Slack's shape (see the module-level `file_object`)."""
        return file_object(self.sb, fid)

    def files_complete_upload(self, params: dict) -> dict:
        """files.completeUploadExternal(files=[{id, title}], channel_id?, initial_comment?)."""
        files = params.get("files")
        if not isinstance(files, list) or not files:
            raise ApiError("invalid_arguments")
        targets = [params["channel_id"]] if params.get("channel_id") else []
        targets += [c for c in str(params.get("channels") or "").split(",") if c]
        convs = [(c, self._conversation(c)) for c in targets]
        out = []
        with self.sb.state.lock:
            for f in files:
                rec = self.sb.state.files.get(f.get("id", ""))
                if rec is None or rec["data"] is None:
                    raise ApiError("file_not_found")
            for f in files:
                rec = self.sb.state.files[f["id"]]
                rec.update(
                    completed=True,
                    title=f.get("title") or rec["name"],
                    created=int(time.time()),
                    channels=[self._channel_id(c) for c, _ in convs],
                )
                out.append(self.file_object(f["id"]))
        for _, conv in convs:
            store.add_message(
                self.sb,
                conv,
                text=params.get("initial_comment") or "",
                blocks=None,
                kind="file",
                extra={"files": out, "upload": True},
            )
        return {"files": [{"id": f["id"], "title": f["title"]} for f in out]}

    def files_info(self, params: dict) -> dict:
        """files.info(file): the file object."""
        if params.get("file") not in self.sb.state.files:
            raise ApiError("file_not_found")
        return {"file": self.file_object(params["file"])}
