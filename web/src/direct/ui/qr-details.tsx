import { useSignal } from '@preact/signals';
import { QrCode } from '../../qr/qr-code.js';

interface Props {
  summary: string;
  text: string;
  label: string;
  size: number;
}

/** A QR code behind a disclosure, encoded only while open: the direct page re-renders often while a peer floods, and encoding is not free. */
export function QrDetails({ summary, text, label, size }: Props) {
  const open = useSignal(false);
  return (
    <details onToggle={(e) => (open.value = (e.currentTarget).open)}>
      <summary class="text-sm min-h-11 flex items-center cursor-pointer">{summary}</summary>
      {open.value && <QrCode text={text} label={label} size={size} />}
    </details>
  );
}
