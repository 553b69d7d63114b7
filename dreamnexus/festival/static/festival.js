// Live festival page: WebSocket first, SSE + POST where WebSocket fails; the page works without this file.
(function () {
  "use strict";
  var root = document.getElementById("festival");
  if (!root) { return; }
  var id = root.dataset.festival, csrf = root.dataset.csrf;
  var lastSeq = parseInt(root.dataset.seq, 10) || 0;
  var mine = new Set(), socket = null, failures = 0, useSse = !("WebSocket" in window);
  var statusEl = document.getElementById("fest-status");
  var form = document.getElementById("fest-form");

  var live = "", note = "";
  function setStatus(text) { note = text; show(); }
  function show() { statusEl.textContent = live + (live && note ? " · " : "") + note; }

  function drawWeave(weave) {
    var list = document.getElementById("fest-weave");
    document.getElementById("fest-title").textContent = weave.title || "";
    while (list.firstChild) { list.removeChild(list.firstChild); }
    (weave.passages || []).forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p.text;  // text only: never markup from the network
      if (p.seqs.some(function (s) { return mine.has(s); })) { li.className = "mine"; }
      list.appendChild(li);
    });
  }

  function handle(msg) {
    if (typeof msg.seq === "number" && msg.type !== "ack") { lastSeq = Math.max(lastSeq, msg.seq); }
    if (msg.weave) { drawWeave(msg.weave); }
    if (msg.phase) { document.getElementById("fest-phase").textContent = msg.phase; }
    if (msg.figures) {
      live = "Live: " + msg.figures.participants + " here, " + msg.figures.contributions + " fragments";
      show();
    }
    if (msg.type === "ack") { mine.add(msg.seq); setStatus("Received as #" + msg.seq + " (" + msg.status + ")"); }
    if (msg.type === "error") { setStatus(msg.reason); }
  }

  function connectWs() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(proto + location.host + "/festivals/" + id + "/ws?since=" + lastSeq);
    socket.binaryType = "arraybuffer";
    socket.onopen = function () { failures = 0; };
    socket.onmessage = function (e) {
      var text = typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data);
      handle(JSON.parse(text));
    };
    socket.onclose = function () {
      socket = null; failures += 1;
      if (failures > 3) { useSse = true; connectSse(); return; }
      setTimeout(connectWs, Math.min(1000 * failures, 5000));
    };
  }

  function connectSse() {
    var source = new EventSource("/festivals/" + id + "/events?since=" + lastSeq);
    source.onmessage = function (e) { handle(JSON.parse(e.data)); };
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = document.getElementById("fest-text").value;
      var ref = "js-" + Date.now() + "-" + Math.random().toString(36).slice(2, 8);
      if (socket && socket.readyState === 1) {
        socket.send(JSON.stringify({ type: "fragment", text: text, ref: ref }));
      } else {
        fetch("/api/v1/festivals/" + id + "/fragments", {
          method: "POST", credentials: "same-origin",
          headers: { "content-type": "application/json", "x-csrf-token": csrf },
          body: JSON.stringify({ text: text, client_ref: ref })
        }).then(function (r) { return r.json(); }).then(function (msg) {
          if (msg.seq) { msg.type = "ack"; handle(msg); } else { setStatus(msg.detail || "Not sent"); }
        });
      }
      document.getElementById("fest-text").value = "";
    });
  }
  if (useSse) { connectSse(); } else { connectWs(); }
}());
