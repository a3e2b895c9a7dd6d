"use strict";
(() => {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  // The session is an HttpOnly cookie the server sets on the first message: this script
  // never sees it, and it never travels in a URL.
  function bubble(text, who) {
    const div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }
  function quickReplies(items) {
    if (!items.length) return;
    const box = document.createElement("div");
    box.className = "quick";
    for (const item of items) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = item.label;
      b.addEventListener("click", () => {
        box.remove();
        send({postback: item.postback}, item.display_text || item.label);
      });
      box.appendChild(b);
    }
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
  }
  let lastId = 0;
  const shown = new Set();
  function remember(id) { if (id && id > lastId) lastId = id; }
  async function pollMessages() {
    try {
      const res = await fetch(`api/playground/messages?after=${lastId}`);
      if (!res.ok) return;
      const data = await res.json();
      for (const m of data.messages) {
        remember(m.id);
        if (shown.has(m.id)) continue;
        shown.add(m.id);
        const div = bubble(m.text, m.kind === "staff" ? "bot staffmsg" : "bot");
        if (m.kind === "staff") div.title = "from a staff member";
        quickReplies(m.quick_replies || []);
      }
    } catch (e) { /* the next poll tries again */ }
  }
  async function send(payload, echo) {
    // Like LINE, quick reply buttons disappear once the person says something.
    document.querySelectorAll(".quick").forEach((box) => box.remove());
    if (echo) bubble(echo, "me");
    try {
      const res = await fetch("api/playground/messages", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(payload),
      });
      const data = await res.json();
      if (!res.ok) { bubble(data.error || "error", "error"); return; }
      remember(data.last_message_id);
      for (const reply of data.replies) {
        if (shown.has(reply.id)) continue;
        shown.add(reply.id);
        bubble(reply.text, "bot");
        quickReplies(reply.quick_replies);
      }
    } catch (e) {
      bubble("サーバーに接続できません。 Cannot reach the server.", "error");
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({text}, text);
  });
  const cases = document.getElementById("cases");
  async function act(number, action, body) {
    const res = await fetch(`api/playground/cases/${number}/${action}`, {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body || {}),
    });
    if (!res.ok) alert((await res.json()).error);
    await Promise.all([pollCases(), pollMessages()]);
  }
  function renderCase(c) {
    const box = document.createElement("div");
    box.className = "case" + (c.urgency === "urgent" ? " urgent" : "");
    box.dataset.case = c.number;
    box.tabIndex = -1;
    const title = document.createElement("h3");
    title.textContent = `${c.urgency === "urgent" ? "🚨 緊急 · " : ""}相談 #${c.number}`;
    const meta = document.createElement("div");
    meta.textContent = `${c.state_text} · 待ち時間 ${c.waited} · 話題: ${c.topic || "-"}`;
    const recent = document.createElement("div");
    recent.className = "recent";
    const icons = {person: "👤", bot: "🤖", staff: "🧑‍💼"};
    recent.textContent = c.recent.map((m) => `${icons[m.who] || "•"} ${m.text}`).join("\n");
    box.append(title, meta, recent);
    if (c.state === "open") {
      const claim = document.createElement("button");
      claim.textContent = "担当する";
      claim.className = "claim";
      claim.onclick = () => act(c.number, "claim");
      box.append(claim);
    }
    if (c.state !== "resolved") {
      const resolve = document.createElement("button");
      resolve.textContent = "終了する";
      resolve.className = "resolve";
      resolve.onclick = () => act(c.number, "resolve");
      box.append(resolve);
    }
    const reply = document.createElement("textarea");
    reply.placeholder = "相談者への返事（// で始まる行はスタッフだけのメモ）";
    reply.setAttribute("aria-label", `相談 #${c.number} への返事`);
    reply.className = "reply";
    if (c.state === "resolved") {
      // As in a Slack thread: a worker's reply to a resolved case reopens it, theirs.
      const hint = document.createElement("p");
      hint.id = `reopen-hint-${c.number}`;
      hint.className = "reopen-hint";
      hint.textContent = "終了した相談です。返事を送ると相談が再開し、あなたが担当になります。";
      reply.setAttribute("aria-describedby", hint.id);
      box.append(hint);
    }
    const sendReply = document.createElement("button");
    sendReply.textContent = "返事を送る";
    sendReply.className = "send-reply";
    sendReply.onclick = () => {
      const text = reply.value.trim();
      if (text) { reply.value = ""; act(c.number, "reply", {text}); }
    };
    box.append(reply, sendReply);
    return box;
  }
  function typing() {
    return [...document.querySelectorAll(".case textarea.reply")].some((t) => t.value);
  }
  // Which control has the keyboard focus, so a redraw can give it back.
  function focused() {
    const el = document.activeElement;
    const box = el && cases.contains(el) ? el.closest(".case") : null;
    return box ? {number: box.dataset.case, cls: el.className} : null;
  }
  function refocus(where) {
    if (!where) return;
    const box = cases.querySelector(`.case[data-case="${where.number}"]`);
    const el = box && [...box.querySelectorAll("button, textarea")]
      .find((e) => e.className === where.cls);
    (el || box || document.getElementById("staff")).focus({preventScroll: true});
  }
  let drawn = "";
  async function pollCases() {
    try {
      const res = await fetch("api/playground/cases");
      if (!res.ok) return;
      const data = await res.json();
      if (!data.cases.length) return;
      // Checked after the fetch: a redraw must never wipe a reply the worker is writing.
      if (typing()) return;
      // Redraw only what changed; keep the keyboard focus where it was.
      const state = JSON.stringify(data.cases);
      if (state === drawn) return;
      drawn = state;
      const where = focused();
      cases.replaceChildren(...data.cases.map(renderCase));
      refocus(where);
    } catch (e) { /* the next poll tries again */ }
  }
  fetch("api/playground/config").then((r) => r.json()).then((config) => {
    if (config.staff_pane) {
      document.getElementById("staff").style.display = "block";
      // On a phone the pane is below the chat: the header links to it.
      document.getElementById("staff-link").hidden = false;
      setInterval(pollCases, 2000);
      pollCases();
    }
  });
  send({event: "follow"}, null).then(() => setInterval(pollMessages, 2000));
  input.focus();
})();
