"""A minimal Streamlit client over the app's websocket, for load runs without a browser.

It speaks the protocol the browser speaks on ``/_stcore/stream``: it sends ``BackMsg`` protobufs
asking for a run of a page (with the query string and the state of every widget it knows) and
reads the ``ForwardMsg`` stream until the run is over. Like the browser, it keeps the value of each
select, multiselect and radio from the elements the server sends (the value the app set, else the
widget's default), and sends them all back on every run; changing one of them is what a click on
an option does. It renders nothing: the time it measures is the server's, from the request to the
last element of the updated view.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STREAM_PATH = "/_stcore/stream"
SELECT_KINDS = ("multiselect", "selectbox", "radio")
# ForwardMsg.script_finished values that end a run (the others, such as a run stopped because the
# app asked for a rerun, are followed by another run).
RUN_OVER = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR


class ProtocolError(RuntimeError):
    """The server sent something the client cannot follow (no such page, widget or option)."""


@dataclass
class Widget:
    """A select-like widget as the client holds it: options and current value are display labels."""

    id: str
    kind: str
    label: str
    options: list[str]
    value: list[str] | str | None
    in_sidebar: bool

    def to_proto(self, state) -> None:
        state.id = self.id
        if self.kind == "multiselect":
            state.string_array_value.data.extend(self.value or [])
        elif self.value is not None:
            state.string_value = self.value


@dataclass
class RunResult:
    """What one run sent back: its time, the element types shown, the exceptions, the bytes read."""

    seconds: float
    element_types: set[str] = field(default_factory=set)
    exceptions: list[str] = field(default_factory=list)
    bytes_read: int = 0
    reruns: int = 0


def _widget_from_element(element, kind: str, in_sidebar: bool, known: Widget | None) -> Widget:
    proto = getattr(element, kind)
    options = list(proto.options)
    if kind == "multiselect":
        default = [options[i] for i in proto.default if 0 <= i < len(options)]
        value = list(proto.raw_values) if proto.set_value else (known.value if known else default)
    else:
        default = options[proto.default] if proto.HasField("default") and 0 <= proto.default < len(options) else None
        value = proto.raw_value if proto.set_value else (known.value if known else default)
    return Widget(proto.id, kind, proto.label, options, value, in_sidebar)


class StreamlitClient:
    """One session of the app: ``await client.connect()``, then :meth:`open_page` and :meth:`set_widget`.

    Parameters
    ----------
    base
        The server's base URL, ``http://127.0.0.1:PORT``.
    timeout_s
        Longest wait for one run to end; beyond it :class:`TimeoutError` is raised.
    headers
        Sent with the websocket's opening request, as a browser sends its cookies (e.g. the
        affinity cookie of nginx in team mode).
    """

    def __init__(self, base: str, timeout_s: float = 30.0, headers: dict[str, str] | None = None) -> None:
        self.base = base
        self.timeout_s = timeout_s
        self.headers = dict(headers or {})
        self.query_string = ""
        self.page = ""
        self.pages: dict[str, str] = {}  # URL path of each page -> its script hash
        self.widgets: dict[str, Widget] = {}  # by widget id, those of the last run
        self._ws = None

    async def connect(self) -> None:
        import websockets

        uri = self.base.replace("http://", "ws://", 1) + STREAM_PATH
        self._ws = await websockets.connect(
            uri, subprotocols=["streamlit"], origin=self.base, max_size=None, additional_headers=self.headers or None
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    def sidebar_widget(self, label: str) -> Widget:
        """The sidebar widget labelled ``label``."""
        for widget in self.widgets.values():
            if widget.in_sidebar and widget.label == label:
                return widget
        raise ProtocolError(f"no sidebar widget labelled {label!r} in the last run")

    async def open_page(self, url_path: str, query_string: str | None = None) -> RunResult:
        """Run the page at ``url_path`` ('' for the default page), as a click on its link does."""
        if query_string is not None:
            self.query_string = query_string
        if self.pages and url_path not in self.pages:
            raise ProtocolError(f"no page at /{url_path}; the app has {sorted(self.pages)}")
        self.page = url_path
        # Like the browser, widgets of the page being left are not sent: only the sidebar's.
        self.widgets = {k: w for k, w in self.widgets.items() if w.in_sidebar}
        return await self._run()

    async def set_widget(self, label: str, value: list[str] | str) -> RunResult:
        """Give the sidebar widget ``label`` the display value(s) ``value`` and run the page again."""
        widget = self.sidebar_widget(label)
        wanted = list(value) if isinstance(value, list | tuple) else [value]
        missing = [v for v in wanted if v not in widget.options]
        if missing:
            raise ProtocolError(f"{label!r} has no option {missing[0]!r}")
        widget.value = wanted if widget.kind == "multiselect" else wanted[0]
        return await self._run()

    async def _run(self) -> RunResult:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = self.page
        state.page_script_hash = self.pages.get(self.page, "")
        for widget in self.widgets.values():
            widget.to_proto(state.widget_states.widgets.add())
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        result = RunResult(seconds=0.0)
        seen: dict[str, Widget] = {}
        deadline = start + self.timeout_s
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"the run of /{self.page} did not end within {self.timeout_s:g} s")
            raw = await asyncio.wait_for(self._ws.recv(), timeout=left)
            result.bytes_read += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                raise ProtocolError(f"the server found no page /{self.page}")
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                element_type = element.WhichOneof("type")
                result.element_types.add(element_type)
                if element_type == "exception":
                    result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
                elif element_type in SELECT_KINDS:
                    in_sidebar = bool(fwd.metadata.delta_path) and fwd.metadata.delta_path[0] == 1
                    proto_id = getattr(element, element_type).id
                    seen[proto_id] = _widget_from_element(element, element_type, in_sidebar, self.widgets.get(proto_id))
            elif kind == "script_finished":
                if fwd.script_finished == COMPILE_ERROR:
                    result.exceptions.append("the page's script does not compile")
                if fwd.script_finished in RUN_OVER or fwd.script_finished == COMPILE_ERROR:
                    break
                result.reruns += 1
                seen = {}
                result.element_types.clear()
        result.seconds = time.perf_counter() - start
        self.widgets = seen
        return result
