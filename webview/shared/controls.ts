// Our own small set of controls, backed by @vscode-elements/elements: the views use only these,
// so swapping the element library stays inside this file.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';

/** Creates an element with a class and, optionally, text (always as text, never markup). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A button; secondary buttons are less prominent. */
export function button(label: string, title: string, onClick: () => void, secondary = true): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.title = title;
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

/** A text field that reports its value on input and Enter (with shift). */
export function textField(
  placeholder: string,
  onInput: (value: string) => void,
  onEnter: (shift: boolean) => void,
): HTMLElement & { value: string } {
  const f = document.createElement('vscode-textfield') as HTMLElement & { value: string; placeholder: string };
  f.placeholder = placeholder;
  f.setAttribute('aria-label', placeholder);
  f.addEventListener('input', () => onInput(f.value));
  f.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onEnter(e.shiftKey);
    }
  });
  return f;
}

/** A checkbox with a label. */
export function checkbox(
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
): HTMLElement & { checked: boolean } {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean; label: string };
  c.label = label;
  c.checked = checked;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}
