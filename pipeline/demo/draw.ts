import type { Random } from '../random.ts';

/*
 * Drawings of museum objects as SVG, photographed on a studio backdrop. Each object type has its own
 * silhouette family; palette, texture, pattern, scale, rotation and backdrop vary per object so the
 * classifier has real work to do. The "new" style imitates a different photography setup (coloured
 * backdrops, hard light, desaturated objects) for the monitoring demo.
 */

export const DEMO_TYPES = ['coin', 'figurine', 'mask', 'print', 'textile', 'vessel'] as const;
export type DemoType = (typeof DEMO_TYPES)[number];
export type DemoStyle = 'studio' | 'new';

const PALETTES: Record<DemoType, string[][]> = {
  vessel: [
    ['#b5562b', '#7a3417', '#1d1a17'],
    ['#c9a66b', '#8c6a3f', '#3b2a1a'],
    ['#8fb3a0', '#5d7f6c', '#e8e2cf'],
    ['#2f4e7a', '#e9e4d8', '#1c2c46'],
    ['#6e4b2a', '#d9b77c', '#2a1c10'],
  ],
  coin: [
    ['#d4af37', '#8a6d1a', '#f3e2a0'],
    ['#c0c0c0', '#7d7d7d', '#efefef'],
    ['#b87333', '#6b3f1a', '#e0a36b'],
    ['#6f7f5a', '#3f4a33', '#a7b38c'],
  ],
  textile: [
    ['#8c1c13', '#e3c16f', '#1f3b5a'],
    ['#2e5e4e', '#e8d5b5', '#a23e48'],
    ['#3b2c6b', '#d9a441', '#f2efe6'],
    ['#c45a1a', '#253d5b', '#ece3d0'],
    ['#5b3a29', '#b08d57', '#e4d6b8'],
  ],
  print: [
    ['#f1ead9', '#2b2622', '#8c7b64'],
    ['#efe7d2', '#1d2b3a', '#7a8ca0'],
    ['#f4efe4', '#3a2f25', '#a1683a'],
    ['#ebe3cf', '#202020', '#b33a2b'],
  ],
  mask: [
    ['#5a3b22', '#d9c7a3', '#1c120b'],
    ['#a8322d', '#f0e0c0', '#222222'],
    ['#2d2d2d', '#c9a227', '#eeeeee'],
    ['#7c5a3a', '#e6d2b0', '#3b6e8f'],
    ['#e6e0d0', '#8b1e1e', '#202020'],
  ],
  figurine: [
    ['#9c7b5b', '#5c4330', '#d8c3a5'],
    ['#6b8e7f', '#3e574c', '#c8d8cf'],
    ['#c2b49a', '#7d6b50', '#efe6d5'],
    ['#8a5a44', '#4a2f22', '#d9a88a'],
    ['#3f3f46', '#9a9aa5', '#d7d7dd'],
  ],
};

const BACKDROPS: Record<DemoStyle, [string, string][]> = {
  studio: [
    ['#d9d9d9', '#a6a6a6'],
    ['#2b2b2b', '#0d0d0d'],
    ['#f7f7f5', '#dcdcd8'],
    ['#bdbdbd', '#8a8a8a'],
    ['#ece9e2', '#c9c4b8'],
  ],
  new: [
    ['#1e6fd9', '#0b3a80'],
    ['#d92e6f', '#7a0f38'],
    ['#25b34b', '#0e5c23'],
    ['#f2c12e', '#a67c00'],
  ],
};

/** SVG of one object photographed on a backdrop, `size` pixels square. */
export function drawObject({
  type,
  random,
  size,
  style = 'studio',
}: {
  type: DemoType;
  random: Random;
  size: number;
  style?: DemoStyle;
}): string {
  const [light, dark] = random.pick(BACKDROPS[style]);
  const palette = random.pick(PALETTES[type]);
  const scale = random.range(0.62, 0.95);
  const rotation = random.range(-14, 14);
  const dx = random.range(-0.06, 0.06) * size;
  const dy = random.range(-0.05, 0.05) * size;
  const seed = random.int(1, 9999);
  const grain = random.range(0.02, 0.09).toFixed(3);
  const body = DRAW[type](random, palette);
  const saturate = style === 'new' ? 0.15 : 1;
  const shadow = style === 'new' ? 0.55 : 0.25;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">
<defs>
<radialGradient id="bg" cx="50%" cy="40%" r="75%"><stop offset="0" stop-color="${light}"/><stop offset="1" ` +
    `stop-color="${dark}"/></radialGradient>
<filter id="tex" x="-10%" y="-10%" width="120%" height="120%"><feTurbulence type="fractalNoise" ` +
    `baseFrequency="${grain}" numOctaves="3" seed="${seed}"/><feColorMatrix type="saturate" values="0"/>` +
    `<feComponentTransfer><feFuncA type="linear" slope="0.35"/></feComponentTransfer><feComposite ` +
    `in2="SourceGraphic" operator="in"/><feBlend in2="SourceGraphic" mode="multiply"/></filter>
<filter id="tone"><feColorMatrix type="saturate" values="${saturate}"/></filter>
<filter id="blur"><feGaussianBlur stdDeviation="2.2"/></filter>
</defs>
<rect width="100" height="100" fill="url(#bg)"/>
<ellipse cx="${50 + (dx / size) * 100}" cy="${86 + (dy / size) * 50}" rx="${30 * scale}" ry="${5 * scale}" ` +
    `fill="#000" opacity="${shadow}" filter="url(#blur)"/>
<g transform="translate(${50 + (dx / size) * 100} ${50 + (dy / size) * 100}) rotate(${rotation.toFixed(2)}) ` +
    `scale(${scale.toFixed(3)}) translate(-50 -50)" filter="url(#tone)">
<g filter="url(#tex)">${body}</g>
</g>
</svg>`
  );
}

type Draw = (random: Random, palette: string[]) => string;

const f = (n: number) => n.toFixed(1);

const DRAW: Record<DemoType, Draw> = {
  vessel(r, [main, accent, dark]) {
    // An amphora, jar or bowl: a lathe profile mirrored around the axis.
    const neck = r.range(6, 12);
    const belly = r.range(22, 34);
    const foot = r.range(7, 13);
    const top = r.range(14, 26);
    const shoulder = r.range(30, 45);
    const base = r.range(78, 86);
    const path =
      `M ${f(50 - neck)} ${f(top)} ` +
      `C ${f(50 - neck)} ${f(shoulder - 8)}, ${f(50 - belly)} ${f(shoulder)}, ${f(50 - belly)} ` +
      `${f((shoulder + base) / 2)} C ${f(50 - belly)} ${f(base - 8)}, ${f(50 - foot - 4)} ${f(base - 2)}, ` +
      `${f(50 - foot)} ${f(base)} L ${f(50 + foot)} ${f(base)} C ${f(50 + foot + 4)} ${f(base - 2)}, ` +
      `${f(50 + belly)} ${f(base - 8)}, ${f(50 + belly)} ${f((shoulder + base) / 2)} C ${f(50 + belly)} ` +
      `${f(shoulder)}, ${f(50 + neck)} ${f(shoulder - 8)}, ${f(50 + neck)} ${f(top)} Z`;
    const bands = Array.from({ length: r.int(1, 3) }, () => {
      const y = r.range(shoulder, base - 10);
      return (
        `<rect x="${f(50 - belly)}" y="${f(y)}" width="${f(belly * 2)}" height="${f(r.range(1.5, 4))}" ` +
        `fill="${r.pick([accent, dark])}" opacity="0.85"/>`
      );
    }).join('');
    const handles = r.chance(0.6)
      ? `<path d="M ${f(50 - neck)} ${f(top + 4)} q ${f(-belly * 0.7)} ` +
        `2 ${f(-belly * 0.55)} ${f(shoulder - top)}" stroke="${main}" stroke-width="3" fill="none"/><path ` +
        `d="M ${f(50 + neck)} ${f(top + 4)} q ${f(belly * 0.7)} 2 ${f(belly * 0.55)} ${f(shoulder - top)}" ` +
        `stroke="${main}" stroke-width="3" fill="none"/>`
      : '';
    return (
      `${handles}<clipPath id="v"><path d="${path}"/></clipPath><path d="${path}" fill="${main}"/><g ` +
      `clip-path="url(#v)">${bands}</g><ellipse cx="50" cy="${f(top)}" rx="${f(neck + 2)}" ry="1.8" fill="${dark}"/>`
    );
  },
  coin(r, [metal, dark, light]) {
    const radius = r.range(24, 36);
    const profile = r.chance(0.5)
      ? `<path d="M 46 36 q 10 -4 12 8 q 2 6 -3 9 q 4 3 1 8 q -3 6 -10 6 q -6 -8 -4 -16 q -2 -10 4 -15 Z" fill="${dark}" opacity="0.55"/>`
      : `<path d="M 50 34 l 4 10 l 11 1 l -8 7 l 3 11 l -10 -6 l -10 6 l 3 -11 l -8 -7 l 11 -1 Z" fill="${dark}" opacity="0.55"/>`;
    const dots = Array.from({ length: 28 }, (_, i) => {
      const a = (i / 28) * Math.PI * 2;
      return `<circle cx="${f(50 + Math.cos(a) * (radius - 4))}" cy="${f(50 + Math.sin(a) * (radius - 4))}" r="0.8" fill="${dark}"/>`;
    }).join('');
    return (
      `<circle cx="50" cy="50" r="${f(radius + 1.5)}" fill="${dark}"/><circle cx="50" cy="50" ` +
      `r="${f(radius)}" fill="${metal}"/><circle cx="50" cy="50" r="${f(radius - 7)}" fill="none" ` +
      `stroke="${light}" stroke-width="0.8" opacity="0.7"/>${dots}<g transform="translate(50 50) ` +
      `scale(${f(radius / 30)}) translate(-50 -50)">${profile}</g>`
    );
  },
  textile(r, [a, b, c]) {
    // A rectangular weaving with stripes, checks or lozenges and a fringe.
    const w = r.range(56, 80);
    const h = r.range(50, 76);
    const x = 50 - w / 2;
    const y = 50 - h / 2;
    const kind = r.int(0, 2);
    const step = r.range(4, 9);
    let pattern = '';
    for (let i = 0; i * step < Math.max(w, h); i++) {
      if (kind === 0)
        pattern += `<rect x="${f(x)}" y="${f(y + i * step)}" width="${f(w)}" height="${f(step / 2)}" fill="${i % 2 ? b : c}"/>`;
      else if (kind === 1) {
        pattern +=
          `<rect x="${f(x + i * step)}" y="${f(y)}" width="${f(step / 2)}" height="${f(h)}" ` +
          `fill="${b}" opacity="0.6"/><rect x="${f(x)}" y="${f(y + i * step)}" width="${f(w)}" ` +
          `height="${f(step / 2)}" fill="${c}" opacity="0.6"/>`;
      } else
        pattern +=
          `<path d="M ${f(x + i * step)} ${f(50)} l ${f(step / 2)} ${f(-step)} ` +
          `l ${f(step / 2)} ${f(step)} l ${f(-step / 2)} ${f(step)} Z" fill="${i % 2 ? b : c}"/>`;
    }
    const fringe = Array.from(
      { length: Math.floor(w / 2.5) },
      (_, i) =>
        `<line x1="${f(x + 1 + i * 2.5)}" y1="${f(y + h)}" x2="${f(x + 1 + i * 2.5 + r.range(-0.8, 0.8))}" ` +
        `y2="${f(y + h + r.range(3, 6))}" stroke="${b}" stroke-width="0.7"/>`,
    ).join('');
    return (
      `<clipPath id="t"><rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}"/></clipPath><rect ` +
      `x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}" fill="${a}"/><g clip-path="url(#t)">${pattern}</g>${fringe}`
    );
  },
  print(r, [paper, ink, tint]) {
    // A sheet in a mat with a landscape or figure drawn in ink.
    const w = r.range(52, 66);
    const h = w * r.range(1.15, 1.4);
    const x = 50 - w / 2;
    const y = 50 - h / 2;
    const lines = Array.from({ length: r.int(5, 11) }, (_, i) => {
      const yy = y + h * 0.45 + i * r.range(2, 4);
      return (
        `<path d="M ${f(x + 6)} ${f(yy)} q ${f(w / 4)} ${f(r.range(-6, 6))} ${f(w / 2)} 0 ` +
        `t ${f(w / 2 - 12)} 0" stroke="${ink}" stroke-width="${f(r.range(0.3, 1))}" fill="none"/>`
      );
    }).join('');
    const sun = r.chance(0.5)
      ? `<circle cx="${f(x + w * r.range(0.3, 0.7))}" cy="${f(y + h * 0.28)}" r="${f(r.range(3, 7))}" fill="${tint}" opacity="0.8"/>`
      : `<path d="M ${f(x + 8)} ${f(y + h * 0.45)} l ${f(w * 0.25)} ${f(-h * 0.22)} ` +
        `l ${f(w * 0.2)} ${f(h * 0.14)} l ${f(w * 0.25)} ${f(-h * 0.1)} L ${f(x + w - 8)} ${f(y + h * 0.45)} Z" ` +
        `fill="${tint}" opacity="0.6"/>`;
    return (
      `<rect x="${f(x - 6)}" y="${f(y - 6)}" width="${f(w + 12)}" height="${f(h + 12)}" fill="#f8f6f0"/>` +
      `<rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}" fill="${paper}" stroke="${ink}" ` +
      `stroke-width="0.6"/><rect x="${f(x + 5)}" y="${f(y + 5)}" width="${f(w - 10)}" height="${f(h - 10)}" ` +
      `fill="none" stroke="${ink}" stroke-width="0.4"/>${sun}${lines}`
    );
  },
  mask(r, [face, paint, dark]) {
    const w = r.range(22, 30);
    const h = r.range(32, 40);
    const eyeY = 50 - h * 0.15;
    const eye = r.range(3, 6);
    const horns = r.chance(0.35)
      ? `<path d="M ${f(50 - w * 0.7)} ${f(50 - h * 0.6)} q -8 -14 -2 -22 q 4 10 10 16 Z ` +
        `M ${f(50 + w * 0.7)} ${f(50 - h * 0.6)} q 8 -14 2 -22 q -4 10 -10 16 Z" fill="${face}"/>`
      : '';
    const stripes = Array.from(
      { length: r.int(2, 4) },
      (_, i) =>
        `<path d="M ${f(50 - w * 0.8)} ${f(50 + h * 0.2 + i * 4)} q ${f(w * 0.8)} 5 ${f(w * 1.6)} 0" ` +
        `stroke="${paint}" stroke-width="1.4" fill="none"/>`,
    ).join('');
    return (
      `${horns}<ellipse cx="50" cy="50" rx="${f(w)}" ry="${f(h)}" fill="${face}"/><ellipse ` +
      `cx="${f(50 - w * 0.4)}" cy="${f(eyeY)}" rx="${f(eye * 1.4)}" ry="${f(eye * 0.7)}" fill="${dark}"/>` +
      `<ellipse cx="${f(50 + w * 0.4)}" cy="${f(eyeY)}" rx="${f(eye * 1.4)}" ry="${f(eye * 0.7)}" ` +
      `fill="${dark}"/><path d="M 50 ${f(eyeY + 2)} l -3 ${f(h * 0.3)} l 6 0 Z" fill="${paint}"/><rect ` +
      `x="${f(50 - w * 0.35)}" y="${f(50 + h * 0.45)}" width="${f(w * 0.7)}" height="${f(r.range(2, 5))}" ` +
      `rx="1.5" fill="${dark}"/>${stripes}`
    );
  },
  figurine(r, [main, dark, light]) {
    // A standing figure on a base: head, torso, arms, legs or robe.
    const headR = r.range(5, 8);
    const shoulders = r.range(9, 14);
    const hips = r.range(7, 13);
    const top = r.range(14, 22);
    const robe = r.chance(0.5);
    const body = robe
      ? `<path d="M ${f(50 - shoulders)} ${f(top + headR * 2 + 2)} ` +
        `L ${f(50 + shoulders)} ${f(top + headR * 2 + 2)} L ${f(50 + hips + 6)} 76 L ${f(50 - hips - 6)} 76 Z" fill="${main}"/>`
      : `<path d="M ${f(50 - shoulders)} ${f(top + headR * 2 + 2)} ` +
        `L ${f(50 + shoulders)} ${f(top + headR * 2 + 2)} L ${f(50 + hips)} 55 L ${f(50 - hips)} 55 Z" ` +
        `fill="${main}"/><rect x="${f(50 - hips)}" y="55" width="${f(hips * 0.8)}" height="21" fill="${main}"/>` +
        `<rect x="${f(50 + hips * 0.2)}" y="55" width="${f(hips * 0.8)}" height="21" fill="${main}"/>`;
    const armUp = r.chance(0.3);
    const arms =
      `<path d="M ${f(50 - shoulders)} ${f(top + headR * 2 + 3)} l ${f(-4)} ${armUp ? -14 : 20}" ` +
      `stroke="${main}" stroke-width="3.5" stroke-linecap="round"/><path ` +
      `d="M ${f(50 + shoulders)} ${f(top + headR * 2 + 3)} l 4 20" stroke="${main}" stroke-width="3.5" stroke-linecap="round"/>`;
    return (
      `<rect x="34" y="76" width="32" height="7" fill="${dark}"/><rect x="36" y="74" width="28" height="3" ` +
      `fill="${light}"/>${arms}${body}<circle cx="50" cy="${f(top + headR)}" r="${f(headR)}" fill="${main}"/>` +
      `<rect x="${f(50 - headR * 0.9)}" y="${f(top - 1)}" width="${f(headR * 1.8)}" height="${f(headR * 0.7)}" ` +
      `fill="${dark}" opacity="0.6"/>`
    );
  },
};
