// A text the user saves as a file: a download of the page's own, so no permission is needed.
// The link is placed under `parent` for the click: in a box page, inside our shadow root, where
// the page's own click handlers on links do not see it.

export function downloadText(parent: Element, fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  parent.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: the browser reads the file after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
