/* glutecv report: click a rep (row, bar or chart) to play it; playheads follow the video. */
(function () {
  "use strict";
  function seekable(v) {
    var s = v.seekable;
    return s.length > 0 && s.end(s.length - 1) > 0;
  }
  /* A plain web server without HTTP range requests (python -m http.server) gives a video
     that cannot seek: load it once as a blob, which always can. file:// needs none of it. */
  function ensureSeekable(v, then) {
    if (v.readyState < 1) {
      v.addEventListener("loadedmetadata", function () { ensureSeekable(v, then); },
                         { once: true });
      return;
    }
    if (seekable(v) || v.dataset.blob || !/^https?:$/.test(location.protocol) || !window.fetch) {
      then();
      return;
    }
    v.dataset.blob = "1";
    fetch(v.currentSrc).then(function (r) { return r.blob(); }).then(function (b) {
      v.addEventListener("loadedmetadata", then, { once: true });
      v.src = URL.createObjectURL(b);
    }).catch(then);
  }
  function seek(videoId, t) {
    var v = document.getElementById(videoId);
    if (!v || !isFinite(t)) return;
    ensureSeekable(v, function () {
      v.currentTime = Math.max(0, t);
      var p = v.play();
      if (p && p.catch) p.catch(function () {});
    });
    var r = v.getBoundingClientRect();
    if (r.bottom < 0 || r.top > window.innerHeight) v.scrollIntoView({ block: "center" });
  }
  function chartTime(svg, clientX) {
    var box = svg.getBoundingClientRect();
    var x = (clientX - box.left) * parseFloat(svg.dataset.width) / box.width;
    var l = parseFloat(svg.dataset.left), r = parseFloat(svg.dataset.right);
    var f = Math.min(Math.max((x - l) / (r - l), 0), 1);
    var t0 = parseFloat(svg.dataset.t0), t1 = parseFloat(svg.dataset.t1);
    return t0 + f * (t1 - t0);
  }
  document.addEventListener("click", function (e) {
    var target = e.target.closest("[data-start][data-video]");
    if (target) { seek(target.dataset.video, parseFloat(target.dataset.start)); return; }
    var svg = e.target.closest("svg.line-chart[data-video]");
    if (svg) seek(svg.dataset.video, chartTime(svg, e.clientX));
  });
  document.addEventListener("keydown", function (e) {
    var row = e.target.closest && e.target.closest("tr[data-start][data-video]");
    if (row && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      seek(row.dataset.video, parseFloat(row.dataset.start));
    }
  });
  function follow(v) {
    var charts = document.querySelectorAll('svg.line-chart[data-video="' + v.id + '"]');
    var rows = document.querySelectorAll('tr[data-video="' + v.id + '"]');
    var update = function () {
      var t = v.currentTime;
      charts.forEach(function (svg) {
        var t0 = parseFloat(svg.dataset.t0), t1 = parseFloat(svg.dataset.t1);
        var l = parseFloat(svg.dataset.left), r = parseFloat(svg.dataset.right);
        var x = l + Math.min(Math.max((t - t0) / (t1 - t0), 0), 1) * (r - l);
        var line = svg.querySelector(".playhead");
        line.setAttribute("x1", x); line.setAttribute("x2", x);
        line.style.visibility = "visible";
      });
      rows.forEach(function (row) {
        var on = t >= parseFloat(row.dataset.start) && t < parseFloat(row.dataset.end);
        row.classList.toggle("playing", on);
      });
    };
    v.addEventListener("timeupdate", update);
    v.addEventListener("seeked", update);
  }
  document.querySelectorAll("video[id]").forEach(follow);
})();
