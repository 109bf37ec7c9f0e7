// Presenter mode keys: Right / Page Down (what presentation clickers send) for the next
// slide, Left / Page Up for the previous one, Escape to leave. Each presses the slide's own
// on-screen button, so the page changes `slide` in the address (with a history entry, so
// the browser's Back button returns to the previous slide) exactly as a click would.
(function () {
  if (window.__presentKeys) {
    return;
  }
  window.__presentKeys = true;
  var keys = {
    ArrowRight: "present-next",
    PageDown: "present-next",
    ArrowLeft: "present-previous",
    PageUp: "present-previous",
    Escape: "present-leave",
  };
  document.addEventListener("keydown", function (event) {
    var target = keys[event.key];
    if (!target || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return; // Alt+Left is the browser's own Back
    }
    var focus = document.activeElement;
    if (focus && (focus.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(focus.tagName))) {
      return;
    }
    var button = document.querySelector(".st-key-" + target + " button");
    if (!button || button.disabled) {
      return; // not presenting, or already at the first or last slide
    }
    event.preventDefault();
    button.click();
  });
})();
