// The PixVerse view: draws the JSON of the plugin's API. Every text goes in through textContent or an
// attribute, never as HTML, so a prompt such as <img src=x onerror=alert(1)> shows as the text it is.
"use strict";

(function () {
  const base = location.pathname.replace(/\/pixverse(\/.*)?$/, ""); // Airflow's own base path
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // --- theme: follow Airflow's (the page is an iframe of the same origin), else the system's -------------
  function airflowTheme() {
    try {
      const root = window.parent.document.documentElement;
      if (root.classList.contains("dark") || root.dataset.theme === "dark") return "dark";
      if (root.classList.contains("light") || root.dataset.theme === "light") return "light";
    } catch (e) { /* not framed by Airflow */ }
    const stored = window.localStorage && localStorage.getItem("theme");
    if (stored === "dark" || stored === "light") return stored;
    return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function applyTheme() { document.documentElement.dataset.theme = airflowTheme(); }
  applyTheme();
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", applyTheme);
  window.addEventListener("storage", applyTheme);
  try {
    new MutationObserver(applyTheme).observe(window.parent.document.documentElement, { attributes: true });
  } catch (e) { /* not framed */ }

  // --- links into Airflow's UI: move the parent page (a single-page app), not this frame ---------------
  function airflowLink(path, text) {
    const link = el("a", { href: base + path }, text);
    link.addEventListener("click", (event) => {
      try {
        if (window.parent === window) return;
        event.preventDefault();
        window.parent.history.pushState({}, "", base + path);
        window.parent.dispatchEvent(new PopStateEvent("popstate"));
      } catch (e) { window.location.href = base + path; }
    });
    return link;
  }
  const enc = encodeURIComponent;
  const runPath = (v) => `/dags/${enc(v.dag_id)}/runs/${enc(v.run_id)}`;
  const taskPath = (v, task, mapIndex) =>
    `${runPath(v)}/tasks/${enc(task)}` + (mapIndex >= 0 ? `/mapped/${mapIndex}` : "");

  // --- one video -------------------------------------------------------------------------------------------
  const NOTHING_TO_PLAY = {
    succeeded: "No copy to play: PixVerse's URL was not recorded and the video did not land anywhere.",
    failed: "No video: PixVerse did not deliver it, or the wait for it ended (the reason is below).",
    generating: "Not ready yet: PixVerse is still generating this video.",
    submitted: "Submitted: no task of this run waits for the video, so there is nothing recorded to play.",
    unknown: "Nothing recorded to play.",
  };
  function player(v) {
    if (!v.stream && !v.url) {
      return el("p", { class: "no-video" }, NOTHING_TO_PLAY[v.status] || NOTHING_TO_PLAY.unknown);
    }
    const video = el("video", { controls: "", preload: "metadata", playsinline: "" });
    // The landed copy first (it never expires), then PixVerse's URL while PixVerse still serves it.
    if (v.stream) video.append(el("source", { src: v.stream, type: "video/mp4" }));
    if (v.url) video.append(el("source", { src: v.url }));
    const note = el("p", { class: "no-video", hidden: "" },
      "This video cannot be played: PixVerse no longer serves its URL and no landed copy is readable.");
    const sources = video.querySelectorAll("source");
    sources[sources.length - 1].addEventListener("error", () => { note.hidden = false; video.hidden = true; });
    return el("div", { class: "player" }, video, note);
  }

  function fact(name, value) {
    if (value === null || value === undefined || value === "") return null;
    return el("div", { class: "fact" }, el("dt", {}, name), el("dd", {}, value));
  }

  const when = (iso) => (iso ? new Date(iso).toLocaleString() : null);
  const credits = (n) => (n === null || n === undefined ? "— (not stated)" : String(n));

  function statusText(v) {
    return v.status === "failed" ? "failed (task " + (v.task_state || "failed") + ")" : v.status;
  }

  // PixVerse's reason for a failed video, read from the failed task's log only when such a video is shown.
  async function addReason(v, facts) {
    const reason = el("dd", { class: "reason" }, "reading the task log…");
    facts.insertBefore(el("div", { class: "fact" }, el("dt", {}, "Reason"), reason), facts.children[1] || null);
    try {
      const found = await getJson("api/reason?" + v.failed_task);
      reason.textContent = `${found.kind}: ${found.reason}`;
    } catch (error) {
      reason.textContent = "not in the task log (" + error.message + ")";
    }
  }

  function card(v) {
    const facts = el("dl", { class: "facts" },
      fact("Status", statusText(v)),
      fact("Mode", v.mode),
      fact("Model", v.model),
      fact("Duration", v.duration === null ? null : v.duration + " s"),
      fact("Quality", v.quality),
      fact("Credits", "estimated " + credits(v.estimated_credits) + " · charged " + credits(v.charged_credits)),
      fact("Created", when(v.created)),
      fact("Finished", when(v.finished)),
      fact("Video id", v.video_id),
      fact("Size", v.width && v.height ? `${v.width}×${v.height}` : null),
      fact("Trace id", v.trace_id),
      fact("Landed at", v.landed),
    );
    const links = el("div", { class: "fact" }, el("dt", {}, "Airflow"), el("dd", {},
      airflowLink(runPath(v), v.dag_id + " / " + v.run_id), " · ",
      airflowLink(taskPath(v, v.task_id, v.map_index), v.task_id + (v.map_index >= 0 ? `[${v.map_index}]` : "")),
      v.waiter ? " · " : null,
      v.waiter ? airflowLink(taskPath(v, v.waiter.task_id, v.waiter.map_index), v.waiter.task_id) : null));
    facts.append(links);
    if (v.failed_task) addReason(v, facts);
    const prompt = el("p", { class: "prompt" }, v.prompt === null || v.prompt === undefined
      ? "(prompt not recorded)" : String(v.prompt));
    const data = { class: "video status-" + v.status, "data-video-id": v.video_id || "", "data-dag-id": v.dag_id,
      "data-task-id": v.task_id, "data-map-index": v.map_index };
    return el("article", data,
      player(v), el("div", { class: "about" }, prompt, facts));
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.detail || response.statusText);
    return body;
  }

  // --- the task-instance tab -----------------------------------------------------------------------------
  // Airflow 3.3 percent-encodes the ids it puts in the tab's address; 3.1 puts them in as they are, so a run
  // id's "+" (manual__2026-01-01T00:00:00+00:00) would read as a space. Decode each value once, keeping "+".
  function taskQuery() {
    const params = new URLSearchParams();
    for (const part of location.search.slice(1).split("&")) {
      const [name, ...rest] = part.split("=");
      const value = rest.join("=");
      try { params.set(decodeURIComponent(name), decodeURIComponent(value)); } catch (e) { params.set(name, value); }
    }
    return "?" + params;
  }

  async function taskView() {
    try {
      const v = await getJson("api/task-video" + taskQuery());
      $("videos").replaceChildren(card(v));
      $("summary").textContent = `PixVerse video of ${v.task_id}`;
    } catch (error) {
      $("summary").textContent = String(error.message);
    }
  }

  // --- the page of all videos -----------------------------------------------------------------------------
  const filters = { dag_id: "f-dag", status: "f-status", mode: "f-mode", start: "f-start", end: "f-end" };
  let page = 1;
  let optionsFilled = false;
  let latest = 0; // only the newest request draws: answers may come back out of order

  function fillOptions(select, values) {
    for (const value of values) select.append(el("option", { value: value }, value));
  }

  async function listView() {
    const query = new URLSearchParams({ page: String(page) });
    for (const [name, id] of Object.entries(filters)) if ($(id).value) query.set(name, $(id).value);
    $("summary").textContent = "Loading…";
    const mine = ++latest;
    try {
      const answer = await getJson("api/videos?" + query);
      if (mine !== latest) return;
      if (!optionsFilled) {
        fillOptions($("f-dag"), answer.dag_ids);
        fillOptions($("f-status"), answer.statuses);
        fillOptions($("f-mode"), answer.modes);
        optionsFilled = true;
      }
      $("videos").replaceChildren(...answer.videos.map(card));
      $("summary").textContent = answer.total === 1 ? "1 video" : `${answer.total} videos`;
      $("page").textContent = `Page ${answer.page} of ${answer.pages}`;
      $("prev").disabled = answer.page <= 1;
      $("next").disabled = answer.page >= answer.pages;
    } catch (error) {
      if (mine === latest) $("summary").textContent = String(error.message);
    }
  }

  const palette = ["#7c3aed", "#0ea5e9", "#f59e0b", "#10b981", "#ef4444", "#ec4899", "#84cc16", "#6366f1"];

  function svg(tag, attrs, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawChart(data) {
    const width = 600, height = 160, pad = 20;
    const dags = Object.keys(data.dags);
    const totals = data.days.map((_, i) => dags.reduce((sum, d) => sum + data.dags[d][i], 0));
    const top = Math.max(1, ...totals);
    const barWidth = (width - pad) / data.days.length;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height + pad}`, class: "bars" });
    chart.append(svg("line", { x1: pad, y1: height, x2: width, y2: height, class: "axis" }));
    chart.append(svg("text", { x: 0, y: 12, class: "tick" }, String(top)));
    data.days.forEach((day, i) => {
      let y = height;
      dags.forEach((dag, n) => {
        const value = data.dags[dag][i];
        if (!value) return;
        const h = (value / top) * (height - pad);
        y -= h;
        const bar = svg("rect", { x: pad + i * barWidth + 1, y: y, width: barWidth - 2, height: h,
          fill: palette[n % palette.length], class: "bar" });
        bar.append(svg("title", {}, `${day} · ${dag}: ${value} credits`));
        chart.append(bar);
      });
      if (i % 7 === 0) chart.append(svg("text", { x: pad + i * barWidth, y: height + 14, class: "tick" }, day.slice(5)));
    });
    $("chart").replaceChildren(chart);
    $("legend").replaceChildren(...dags.map((dag, n) =>
      el("li", {}, el("span", { class: "swatch", "data-color": n % palette.length }), dag)));
    $("credits-total").textContent = `${data.total} credits`;
  }

  async function creditsPanel() {
    try {
      const data = await getJson("api/credits");
      drawChart(data);
      const b = data.balance;
      $("balance").textContent = b.available ? `${b.total} credits` : `unavailable (${b.reason})`;
      if (b.available) $("balance").title = `monthly ${b.monthly}, package ${b.package}; read ${when(b.read_at)}`;
    } catch (error) {
      $("balance").textContent = String(error.message);
    }
  }

  function start() {
    if (document.body.dataset.view === "task") return taskView();
    for (const id of Object.values(filters)) $(id).addEventListener("change", () => { page = 1; listView(); });
    $("f-clear").addEventListener("click", () => {
      for (const id of Object.values(filters)) $(id).value = "";
      page = 1;
      listView();
    });
    $("prev").addEventListener("click", () => { page -= 1; listView(); });
    $("next").addEventListener("click", () => { page += 1; listView(); });
    creditsPanel();
    return listView();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
