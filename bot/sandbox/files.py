"""Two-step external file upload (what `WebClient.files_upload_v2` calls), as a WebAPI mixin.

1. `files.getUploadURLExternal(filename, length)` → `upload_url` (a sandbox URL) + `file_id`;
2. the client POSTs the bytes to `upload_url` (`server.SandboxServer.upload`);
3. `files.completeUploadExternal(files=[{id, title}], channel_id?, channels?, initial_comment?)`
   shares the files: an Entry of kind "file" in each conversation.
Files stay downloadable at `url_private_download` with `Authorization: Bearer <bot token>`.
"""

from __future__ import annotations

import time

from . import store
from .errors import ApiError


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
        """The file object in Slack's shape (url_private_download needs the bot token)."""
        f = self.sb.state.files[fid]
        name = f["name"]
        url = f"{self.sb.base_url}files/{fid}/{name}"
        return {
            "id": fid,
            "created": f.get("created", int(time.time())),
            "timestamp": f.get("created", int(time.time())),
            "name": name,
            "title": f.get("title") or name,
            "mimetype": f.get("mimetype", "application/octet-stream"),
            "filetype": name.rsplit(".", 1)[-1] if "." in name else "binary",
            "user": self.sb.bot_user_id,
            "size": len(f["data"] or b""),
            "url_private": url,
            "url_private_download": url + "?download=1",
            "permalink": f"https://{self.sb.workspace.team_domain}.slack.com/files/{fid}",
            "channels": f.get("channels", []),
        }

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
