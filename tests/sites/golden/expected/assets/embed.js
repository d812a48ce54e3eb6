// Embeds (see sitegen/embeds.py): a video, form or slides player takes the place of its
// link only when the reader clicks it, so nothing loads from another site before that.
(function () {
  "use strict";
  var players = [
    "https://www.youtube-nocookie.com/embed/",
    "https://player.vimeo.com/video/",
    "https://docs.google.com/",
    "https://www.google.com/maps/embed?"
  ];
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.embed-link[data-player]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var source = link.getAttribute("data-player");
    if (!players.some(function (prefix) { return source.indexOf(prefix) === 0; })) {
      return;
    }
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = source;
    frame.title = link.getAttribute("data-title") || link.textContent;
    frame.className = "embed-frame";
    frame.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    link.replaceWith(frame);
    frame.focus();
  });
})();
