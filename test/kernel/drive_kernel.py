"""Drives the TicketLab kernel through jupyter_client and records every message.

Usage: /usr/bin/python3 drive_kernel.py <kernel_name> <cwd>   (JUPYTER_PATH must point at the
kernelspec). Prints one JSON object: {scenario: {"reply": ..., "iopub": [...]}} where every
message keeps header, parent_header, metadata and content, so the Node test can check the
messaging spec for each message type the kernel sends.
"""
import json
import sys
import time
import uuid

from jupyter_client.manager import KernelManager

KERNEL, CWD = sys.argv[1], sys.argv[2]


def plain(msg):
    out = {k: msg.get(k) for k in ("header", "parent_header", "metadata", "content", "msg_type")}
    for k in ("header", "parent_header"):
        h = dict(out[k] or {})
        if "date" in h and not isinstance(h["date"], str):
            h["date"] = h["date"].isoformat()
        out[k] = h
    out["buffers"] = len(msg.get("buffers") or [])
    return out


def collect(kc, msg_id, timeout=60):
    """iopub messages of one request, up to its idle status."""
    msgs = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        except Exception:
            break
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(plain(m))
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    return msgs


def shell_reply(kc, msg_id, timeout=60):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return plain(r)


def request(kc, msg, timeout=60):
    kc.shell_channel.send(msg)
    mid = msg["header"]["msg_id"]
    reply = shell_reply(kc, mid, timeout)
    return {"request": plain(msg), "reply": reply, "iopub": collect(kc, mid, timeout)}


def execute(kc, code, timeout=60):
    return request(kc, kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                         "user_expressions": {}, "allow_stdin": False,
                                                         "stop_on_error": True}), timeout)


def comm(kc, msg_type, content):
    """comm_* messages get no shell reply: collect iopub up to idle."""
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    return {"request": plain(msg), "reply": None, "iopub": collect(kc, msg["header"]["msg_id"])}


def main():
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(cwd=CWD, env={**__import__("os").environ, "TICKETLAB_KERNEL_BACKEND": "skip",
                                  "TICKETLAB_INTERRUPT_GRACE_MS": "3000"})
    kc = km.client()
    kc.start_channels()
    out = {}
    try:
        kc.wait_for_ready(timeout=120)
        out["kernel_info"] = request(kc, kc.session.msg("kernel_info_request", {}))
        out["first"] = execute(kc, "const a: number = 40 + 2;\na", 120)
        out["type_error"] = execute(kc, "let s: string = 1;")
        out["runtime_error"] = execute(kc, "const k = 1;\nfunction boom(): number {\n  throw new RangeError('boom at ' + k);\n}\nboom();")
        out["rejected"] = execute(kc, "Promise.reject(new Error('nobody awaits me'));\nawait new Promise((r) => setTimeout(r, 100));\n'after rejection'")
        out["alive"] = execute(kc, "a + 1")
        out["import_kernel"] = execute(kc, "import * as tk from 'ticketlab/kernel';\nimport * as aq from 'arquero';\nconst fig = { data: [{ type: 'scatter', y: [3, 1, 2] }], layout: { title: { text: 'loss' } } };\ntk.display(tk.plotlyBundle(fig));\ntk.display(tk.plotlyBundle(fig));")
        out["plotly_result"] = execute(kc, "tk.plotly(fig)")
        out["table"] = execute(kc, "const t = aq.table({ task: Array.from({ length: 30 }, (_, i) => i + 1), acc: Array.from({ length: 30 }, (_, i) => 0.5 + i / 97) });\ntk.table(t, { limit: 5, digits: 3 })")
        out["display_protocol"] = execute(kc, "({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>rich</b>', 'application/json': { x: 1 }, 'text/plain': 'rich' }; } })")
        out["update"] = execute(kc, "const h = tk.display({ 'text/plain': 'step 0' }, { displayId: 'tl-test-progress' });\nfor (let i = 1; i <= 3; i++) h.update({ 'text/plain': 'step ' + i, 'text/html': '<i>step ' + i + '</i>' });")
        out["progress"] = execute(kc, "const p = tk.progress({ tasks: 2, chart: true, minIntervalMs: 0, chartIntervalMs: 0 });\nfor (let t = 0; t < 2; t++) for (let e = 0; e < 2; e++) p.update({ kind: 'step', task: t, epoch: e, epochs: 2, step: 10, stepsPerEpoch: 10, loss: 1 / (1 + e + t), accuracy: 50 + 10 * e, samplesPerSecond: 1000, etaSeconds: 5 });\np.setAccuracyMatrix([[0.9, 0], [0.85, 0.92]]);\np.done();")
        out["widget"] = execute(kc, "const seen: number[] = [];\nconst slider = tk.widgets.intSlider({ min: 0, max: 10, value: 2, description: 'task' });\nconst view = tk.display({ 'text/plain': 'value 2' }, { displayId: 'tl-slider-view' });\nslider.onChange((v) => { seen.push(v); view.update({ 'text/plain': 'value ' + v }); });\nlet clicks = 0;\nconst button = tk.widgets.button({ description: 'go' });\nbutton.onClick(() => { clicks++; });\nconst dd = tk.widgets.dropdown([['WSN', 'wsn'], ['CLNP', 'clnp']]);\nconst bar = tk.widgets.intProgress({ max: 5 });\ntk.display(bar);\nslider")
        wmsgs = [m for m in out["widget"]["iopub"] if m["msg_type"] == "comm_open"]
        models = {m["content"]["data"]["state"]["_model_name"]: m["content"]["comm_id"] for m in wmsgs}
        out["widget_models"] = models
        sid = models.get("IntSliderModel", "")
        out["comm_info"] = request(kc, kc.session.msg("comm_info_request", {"target_name": "jupyter.widget"}))
        out["comm_info_all"] = request(kc, kc.session.msg("comm_info_request", {}))
        out["slider_update"] = comm(kc, "comm_msg", {"comm_id": sid, "data": {"method": "update", "state": {"value": 7}, "buffer_paths": []}})
        out["request_state"] = comm(kc, "comm_msg", {"comm_id": sid, "data": {"method": "request_state"}})
        out["click"] = comm(kc, "comm_msg", {"comm_id": models.get("ButtonModel", ""), "data": {"method": "custom", "content": {"event": "click"}}})
        out["dropdown"] = comm(kc, "comm_msg", {"comm_id": models.get("DropdownModel", ""), "data": {"method": "update", "state": {"index": 1}, "buffer_paths": []}})
        out["after_widgets"] = execute(kc, "JSON.stringify({ value: slider.value, seen: seen, clicks: clicks, dd: dd.value })")
        fid = uuid.uuid4().hex
        out["control_open"] = comm(kc, "comm_open", {"comm_id": fid, "target_name": "jupyter.widget.control", "data": {}})
        out["control_states"] = comm(kc, "comm_msg", {"comm_id": fid, "data": {"method": "request_states"}})
        out["unknown_target"] = comm(kc, "comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "no.such.target", "data": {}})
        out["close_slider"] = comm(kc, "comm_close", {"comm_id": sid, "data": {}})
        out["comm_info_after_close"] = request(kc, kc.session.msg("comm_info_request", {"target_name": "jupyter.widget"}))
        out["kernel_close"] = execute(kc, "button.close();")
        out["complete"] = request(kc, kc.session.msg("complete_request", {"code": "const arr = [1, 2];\narr.ma", "cursor_pos": 26}))
        out["inspect"] = request(kc, kc.session.msg("inspect_request", {"code": "Math.max", "cursor_pos": 6, "detail_level": 0}))
        out["is_complete"] = request(kc, kc.session.msg("is_complete_request", {"code": "function f() {"}))
        out["history"] = request(kc, kc.session.msg("history_request", {"output": False, "raw": True, "hist_access_type": "tail", "n": 5}))
        # Interrupt during a long async loop that polls interrupted().
        loop = kc.session.msg("execute_request", {"code": "let steps = 0;\nfor (let i = 0; i < 100000 && !tk.interrupted(); i++) { steps = i + 1; await new Promise((r) => setTimeout(r, 5)); }\nconst finishedLoop = true;", "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        kc.shell_channel.send(loop)
        time.sleep(1.5)
        t0 = time.time()
        km.interrupt_kernel()
        lid = loop["header"]["msg_id"]
        out["interrupt"] = {"request": plain(loop), "reply": shell_reply(kc, lid, 30), "iopub": collect(kc, lid, 30), "seconds": time.time() - t0}
        out["after_interrupt"] = execute(kc, "JSON.stringify({ steps: steps, finishedLoop: finishedLoop, alive: a })")
        # interrupt_request on the control channel (a message-mode front-end).
        ireq = kc.session.msg("interrupt_request", {})
        kc.control_channel.send(ireq)
        out["interrupt_request"] = {"request": plain(ireq), "reply": plain(kc.get_control_msg(timeout=30)), "iopub": collect(kc, ireq["header"]["msg_id"])}
        sreq = kc.session.msg("shutdown_request", {"restart": False})
        kc.control_channel.send(sreq)
        out["shutdown"] = {"request": plain(sreq), "reply": plain(kc.get_control_msg(timeout=30)), "iopub": []}
        for _ in range(50):
            if not km.is_alive():
                break
            time.sleep(0.1)
        out["exited_after_shutdown"] = not km.is_alive()
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
    print(json.dumps(out, default=str))


main()
