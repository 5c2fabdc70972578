// A CSV drop zone: click or keyboard to choose a file, or drag one onto it.
import { h, uid } from '../dom';

export function fileDropzone(options: {
  label: string;
  hint: string;
  name: string;
  onFile: (file: File) => void;
}): HTMLElement {
  const id = uid('file');
  const input = h('input', {
    id,
    type: 'file',
    name: options.name,
    accept: '.csv,text/csv',
    onchange: () => {
      const file = input.files?.[0];
      if (file) options.onFile(file);
      input.value = '';
    },
  });
  const zone = h(
    'label',
    { class: 'dropzone', for: id },
    input,
    uploadIcon(),
    h('strong', null, options.label),
    h('span', { class: 'small' }, 'or drop it here · ', options.hint),
  );
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    const file = e.dataTransfer?.files?.[0];
    if (file) options.onFile(file);
  });
  return zone;
}

function uploadIcon(): SVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '32');
  svg.setAttribute('height', '32');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'dropzone-icon');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', 'M12 3l5 5h-3v6h-4V8H7zm-7 14h14v3H5z');
  svg.append(path);
  return svg;
}
