/*
 * The named colours a palette colour snaps to, each in one colour family for the catalogue's colour
 * facet. Names are everyday words a visitor would type; the list leans towards the materials of
 * museum collections (terracotta, ochre, bronze, verdigris, ivory). A colour's family is its name's
 * family, so that the name and the facet never disagree.
 */

export const COLOUR_FAMILIES = [
  'red',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'brown',
  'black',
  'grey',
  'white',
] as const;
export type ColourFamily = (typeof COLOUR_FAMILIES)[number];

export interface NamedColour {
  name: string;
  hex: string;
  family: ColourFamily;
}

export const NAMED_COLOURS: NamedColour[] = [
  { name: 'black', hex: '#111111', family: 'black' },
  { name: 'charcoal', hex: '#3b3b3b', family: 'grey' },
  { name: 'grey', hex: '#7f7f7f', family: 'grey' },
  { name: 'slate', hex: '#5d6875', family: 'grey' },
  { name: 'silver', hex: '#bdbdbd', family: 'grey' },
  { name: 'white', hex: '#f7f7f5', family: 'white' },
  { name: 'ivory', hex: '#f2ecd8', family: 'white' },
  { name: 'cream', hex: '#eadfb9', family: 'white' },
  { name: 'beige', hex: '#d5c4a1', family: 'brown' },
  { name: 'sand', hex: '#c2ad80', family: 'brown' },
  { name: 'tan', hex: '#b48c60', family: 'brown' },
  { name: 'taupe', hex: '#8b7d6b', family: 'brown' },
  { name: 'bronze', hex: '#8a6a35', family: 'brown' },
  { name: 'sienna', hex: '#a0522d', family: 'brown' },
  { name: 'brown', hex: '#6f4428', family: 'brown' },
  { name: 'dark brown', hex: '#3f2a1d', family: 'brown' },
  { name: 'maroon', hex: '#7a1f22', family: 'red' },
  { name: 'crimson', hex: '#b3193a', family: 'red' },
  { name: 'red', hex: '#d42a24', family: 'red' },
  { name: 'terracotta', hex: '#c0603f', family: 'orange' },
  { name: 'rust', hex: '#b04a18', family: 'orange' },
  { name: 'copper', hex: '#b87333', family: 'orange' },
  { name: 'orange', hex: '#f08020', family: 'orange' },
  { name: 'coral', hex: '#f27f62', family: 'orange' },
  { name: 'peach', hex: '#f7c6a3', family: 'orange' },
  { name: 'ochre', hex: '#c98f2a', family: 'yellow' },
  { name: 'gold', hex: '#d4af37', family: 'yellow' },
  { name: 'mustard', hex: '#b89b20', family: 'yellow' },
  { name: 'amber', hex: '#f5b400', family: 'yellow' },
  { name: 'yellow', hex: '#f5dc1e', family: 'yellow' },
  { name: 'pale yellow', hex: '#f5eb9a', family: 'yellow' },
  { name: 'olive', hex: '#6b6a2a', family: 'green' },
  { name: 'khaki', hex: '#a8a070', family: 'brown' },
  { name: 'lime', hex: '#9acd32', family: 'green' },
  { name: 'green', hex: '#2f8f3a', family: 'green' },
  { name: 'dark green', hex: '#1f4a2a', family: 'green' },
  { name: 'sage', hex: '#9aae8a', family: 'green' },
  { name: 'verdigris', hex: '#4aa58f', family: 'green' },
  { name: 'turquoise', hex: '#3fbfbf', family: 'blue' },
  { name: 'teal', hex: '#1d6f74', family: 'blue' },
  { name: 'sky blue', hex: '#8cc0e6', family: 'blue' },
  { name: 'blue', hex: '#2a5ccc', family: 'blue' },
  { name: 'cobalt', hex: '#0047ab', family: 'blue' },
  { name: 'ultramarine', hex: '#2a2ae0', family: 'blue' },
  { name: 'steel blue', hex: '#4a7196', family: 'blue' },
  { name: 'navy', hex: '#1c2858', family: 'blue' },
  { name: 'indigo', hex: '#3c2c7c', family: 'blue' },
  { name: 'purple', hex: '#702ca6', family: 'purple' },
  { name: 'violet', hex: '#9466c8', family: 'purple' },
  { name: 'lavender', hex: '#b8a9d9', family: 'purple' },
  { name: 'plum', hex: '#6b2c54', family: 'purple' },
  { name: 'magenta', hex: '#c42a86', family: 'pink' },
  { name: 'rose', hex: '#e0607e', family: 'pink' },
  { name: 'pink', hex: '#f2a7c0', family: 'pink' },
  { name: 'salmon', hex: '#f09080', family: 'pink' },
];
