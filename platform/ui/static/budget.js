// The project form: shows the EU and own-contribution shares while the amounts are typed.
// The server computes and checks the same figures; this only saves a round trip.
(function () {
  var out = document.getElementById("budget-shares");
  if (!out) return;
  var total = document.getElementById("budget_total");
  var eu = document.getElementById("eu_cofinancing");
  var own = document.getElementById("own_contribution");
  function amount(input) {
    var text = (input.value || "").replace(/[\s\u00a0\u202f']/g, "");
    if (text === "") return 0;
    if (text.indexOf(",") >= 0) {
      var at = text.lastIndexOf(",");
      text = text.slice(0, at).replace(/\./g, "") + "." + text.slice(at + 1);
    }
    return /^[0-9]+(\.[0-9]{1,2})?$/.test(text) ? parseFloat(text) : NaN;
  }
  function percent(part, whole) { return (part * 100 / whole).toFixed(2).replace(".", ",") + "%"; }
  function update() {
    var t = amount(total), e = amount(eu), o = amount(own);
    if (!(t > 0) || isNaN(e) || isNaN(o)) { out.textContent = out.dataset.empty; return; }
    var text = out.dataset.euLabel + " " + percent(e, t) + " · " + out.dataset.ownLabel + " " + percent(o, t);
    if (Math.abs(e + o - t) >= 0.005) { text += " · " + out.dataset.mismatch; }
    out.textContent = text;
  }
  [total, eu, own].forEach(function (input) { input.addEventListener("input", update); });
  update();
})();
