// Type-ahead for long selects (WAI-ARIA 1.2 combobox with a listbox popup), keyboard only.
// A <select data-combobox> stays in the page and is what the form sends: without JavaScript it is
// the plain field. With it, a text box takes its label and place; typing lists the options whose
// text contains what was typed, ignoring case and Polish diacritics ("skarzysko-k" finds
// "Skarżysko-Kamienna"). Nothing is chosen by typing alone: Down/Up move through the list, Enter
// or a click chooses, Escape closes (or clears). The first option group ("your institution's
// commune") is listed first.
(function () {
  var MAX = 60;
  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
  }
  function enhance(select, n) {
    var seen = {}, options = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value || seen[option.value]) return;
      seen[option.value] = true;
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      options.push({value: option.value, text: option.text, group: group,
                    key: fold(option.text + " " + option.value)});
    });
    var label = document.querySelector('label[for="' + select.id + '"]');
    var input = document.createElement("input");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    input.type = "text";
    input.id = select.id + "-combobox";
    input.className = select.className;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-listbox");
    input.setAttribute("autocomplete", "off");
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    list.id = select.id + "-listbox";
    list.className = "combobox__list";
    list.setAttribute("role", "listbox");
    if (label) { label.htmlFor = input.id; label.id = label.id || select.id + "-label"; list.setAttribute("aria-labelledby", label.id); }
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var chosen = options.filter(function (o) { return o.value === select.value; })[0];
    input.value = chosen ? chosen.text : "";
    select.hidden = true;
    select.tabIndex = -1;
    select.removeAttribute("required");
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(list, select);
    select.parentNode.insertBefore(status, select);
    var shown = [], active = -1;

    function render() {
      list.innerHTML = "";
      shown.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = select.id + "-option-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", i === active ? "true" : "false");
        item.className = "combobox__option" + (i === active ? " combobox__option--active" : "");
        item.textContent = option.text;
        if (option.group) {
          var group = document.createElement("span");
          group.className = "muted";
          group.textContent = " · " + option.group;
          item.appendChild(group);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(option); });
        list.appendChild(item);
      });
      if (active >= 0) input.setAttribute("aria-activedescendant", select.id + "-option-" + active);
      else input.removeAttribute("aria-activedescendant");
    }
    function open(query) {
      var words = fold(query).split(/\s+/).filter(Boolean);
      var needle = fold(query).trim();
      shown = options.filter(function (o) {
        return !needle || o.key.indexOf(needle) >= 0 || words.every(function (w) { return o.key.indexOf(w) >= 0; });
      }).slice(0, MAX);
      active = -1;
      list.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      status.textContent = shown.length + " " + (select.dataset.resultsLabel || "");
      render();
    }
    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(option) {
      select.value = option.value;
      input.value = option.text;
      select.dispatchEvent(new Event("change", {bubbles: true}));
      close();
    }
    input.addEventListener("input", function () {
      select.value = "";   // typing alone never chooses: "Skarżysko-K" is not "Skarżysko Kościelne"
      open(input.value);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) open(select.value ? "" : input.value);
        if (!shown.length) return;
        active = event.key === "ArrowDown" ? Math.min(active + 1, shown.length - 1) : Math.max(active - 1, 0);
        render();
        var item = document.getElementById(select.id + "-option-" + active);
        if (item && item.scrollIntoView) item.scrollIntoView({block: "nearest"});
        event.preventDefault();
      } else if (event.key === "Enter" && !list.hidden) {
        if (active >= 0) choose(shown[active]);
        event.preventDefault();
      } else if (event.key === "Escape") {
        if (!list.hidden) close(); else { input.value = ""; select.value = ""; }
        event.preventDefault();
      }
    });
    input.addEventListener("blur", close);
  }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-combobox]"), enhance);
})();
