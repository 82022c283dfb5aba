// Progressive enhancement for the risk checklist pages: updates the score as answers are chosen. The server
// computes the same score from what is saved after every page; this only saves waiting for "Save and continue".
const panel = document.querySelector('[data-live-score]');
const output = panel?.querySelector('[data-live-score-value]');
const form = document.getElementById('form');
if (panel && output && form) {
  const other = Number(panel.getAttribute('data-score-other')) || 0;
  const update = () => {
    const yes = form.querySelectorAll('input[type="radio"][name$="-answer"][value="yes"]:checked').length;
    output.textContent = String(other + yes);
  };
  form.addEventListener('change', update);
}
