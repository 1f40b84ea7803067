/** Small stroke icons drawn as SVG (no icon font, nothing for the CSP to load); decorative: the button carries the name. */
function Icon({ d }: { d: string }) {
  return (
    <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d={d} />
    </svg>
  );
}

export const MenuIcon = () => <Icon d="M4 6h16M4 12h16M4 18h16" />;
export const MoreIcon = () => <Icon d="M5 12h.01M12 12h.01M19 12h.01" />;
export const ImageIcon = () => <Icon d="M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9h.01" />;
export const OptionsIcon = () => <Icon d="M12 5v14M5 12h14" />;
export const TimerIcon = () => <Icon d="M12 8v5l3 2M9 2h6M12 22a8 8 0 1 0 0-16 8 8 0 0 0 0 16z" />;
