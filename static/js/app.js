// Referral Community: toasts from HX-Trigger, and small progressive enhancements.
(function () {
  "use strict";

  function showToast(message, category) {
    const template = document.getElementById("toast-template");
    const container = document.getElementById("toasts");
    if (!template || !container) return;
    const node = template.content.firstElementChild.cloneNode(true);
    const colours = { success: "text-bg-success", danger: "text-bg-danger", warning: "text-bg-warning", info: "text-bg-primary" };
    node.classList.add(colours[category] || colours.info);
    node.querySelector(".toast-body").textContent = message;
    node.setAttribute("data-testid", "toast");
    container.appendChild(node);
    if (window.bootstrap) {
      const toast = new window.bootstrap.Toast(node, { delay: 6000 });
      node.addEventListener("hidden.bs.toast", () => node.remove());
      toast.show();
    } else {
      node.classList.add("show");
    }
  }

  // Toasts a full page brings with it (e.g. a badge earned since the last visit).
  document.addEventListener("DOMContentLoaded", function () {
    const data = document.getElementById("page-toasts");
    if (!data) return;
    try {
      JSON.parse(data.dataset.toasts).forEach((item) => item && item.message && showToast(item.message, item.category));
    } catch (error) { /* a malformed list shows nothing */ }
  });

  document.addEventListener("toast", function (event) {
    const items = Array.isArray(event.detail.value) ? event.detail.value : [event.detail.value || event.detail];
    items.forEach((item) => item && item.message && showToast(item.message, item.category));
  });

  // Let htmx swap 4xx fragments (validation errors) into the page instead of ignoring them.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    if (status === 422 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Confirm before destructive or irreversible actions: <button data-confirm="...">.
  document.addEventListener("submit", function (event) {
    const submitter = event.submitter;
    const message = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A field marked invalid by the server stops looking invalid once the person changes it.
  function clearFieldError(event) {
    const field = event.target;
    if (!(field instanceof HTMLElement)) return;
    const row = field.closest(".answer-row.is-invalid");
    if (row) {
      row.classList.remove("is-invalid");
      row.querySelectorAll(".text-danger").forEach((node) => node.remove());
    }
    if (field.classList.contains("is-invalid")) {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
    }
  }
  document.addEventListener("input", clearFieldError);
  document.addEventListener("change", clearFieldError);

  // On a phone the pipeline scrolls sideways: bring the current step into view.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".pipeline-steps").forEach((steps) => {
      const current = steps.querySelector("[aria-current=step]");
      if (current && steps.scrollWidth > steps.clientWidth) {
        steps.scrollLeft = current.offsetLeft - (steps.clientWidth - current.offsetWidth) / 2;
      }
    });
  });

  // Forum quotes: <a data-quote-text="> @name wrote: ..."> puts the quote in the reply box
  // without a reload (the link itself does the same on the server: ?quote=<post id>).
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-quote-text]");
    const box = document.querySelector("#reply textarea");
    if (!link || !box) return;
    event.preventDefault();
    box.value = (box.value.trim() ? box.value.replace(/\s*$/, "\n\n") : "") + link.dataset.quoteText;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    box.scrollIntoView({ block: "center" });
  });

  // Copy-to-clipboard buttons: <button data-copy="text">, or data-copy-from="#field" to copy
  // what a field holds now (a draft the person may have rewritten).
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy], [data-copy-from]");
    if (!button || !navigator.clipboard) return;
    const source = button.dataset.copyFrom && document.querySelector(button.dataset.copyFrom);
    const text = source ? source.value : button.dataset.copy;
    navigator.clipboard.writeText(text).then(() => {
      showToast(button.dataset.copiedMessage || "Copied", "success");
    });
  });
})();
