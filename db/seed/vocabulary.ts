/**
 * Word lists for the demo shop. Display forms carry unicode, accents and emoji on purpose;
 * the `a` forms are the ASCII spellings used in e-mail addresses, SKUs and URL slugs.
 */

export interface Name {
  /** How the name is displayed and stored. */
  readonly d: string;
  /** ASCII spelling for e-mail local parts. */
  readonly a: string;
}

export const FIRST_NAMES: readonly Name[] = [
  { d: 'Emma', a: 'emma' }, { d: 'Liam', a: 'liam' }, { d: 'Olivia', a: 'olivia' }, { d: 'Noah', a: 'noah' },
  { d: 'Ava', a: 'ava' }, { d: 'Mia', a: 'mia' }, { d: 'James', a: 'james' }, { d: 'Sophia', a: 'sophia' },
  { d: 'Zoë', a: 'zoe' }, { d: 'José', a: 'jose' }, { d: 'Björn', a: 'bjorn' }, { d: 'Anaïs', a: 'anais' },
  { d: 'Łukasz', a: 'lukasz' }, { d: 'Siobhán', a: 'siobhan' }, { d: 'Søren', a: 'soren' }, { d: 'Chloé', a: 'chloe' },
  { d: 'François', a: 'francois' }, { d: 'Ümit', a: 'umit' }, { d: 'Yuki', a: 'yuki' }, { d: '美咲', a: 'misaki' },
  { d: 'Сергей', a: 'sergei' }, { d: 'Αλέξανδρος', a: 'alexandros' }, { d: 'محمد', a: 'mohammed' }, { d: 'Priya', a: 'priya' },
  { d: 'Nguyễn', a: 'nguyen' }, { d: 'Jürgen', a: 'jurgen' }, { d: 'Inés', a: 'ines' }, { d: 'Mary-Kate', a: 'marykate' },
  { d: 'Kate 🌸', a: 'kate' }, { d: 'Dani ✨', a: 'dani' }, { d: 'Ольга', a: 'olga' }, { d: '지민', a: 'jimin' },
  { d: 'Sam', a: 'sam' }, { d: 'Lucía', a: 'lucia' }, { d: 'Ola', a: 'ola' }, { d: 'Aiyana', a: 'aiyana' },
];

export const LAST_NAMES: readonly Name[] = [
  { d: 'Smith', a: 'smith' }, { d: 'Johnson', a: 'johnson' }, { d: 'Brown', a: 'brown' }, { d: 'García', a: 'garcia' },
  { d: 'Müller', a: 'muller' }, { d: "O'Brien", a: "o'brien" }, { d: 'Núñez', a: 'nunez' }, { d: 'Kowalski', a: 'kowalski' },
  { d: 'Søndergaard', a: 'sondergaard' }, { d: 'Dubois', a: 'dubois' }, { d: 'Yılmaz', a: 'yilmaz' }, { d: '佐藤', a: 'sato' },
  { d: 'Иванова', a: 'ivanova' }, { d: 'Παπαδόπουλος', a: 'papadopoulos' }, { d: 'Al-Sayed', a: 'alsayed' }, { d: 'Nguyen', a: 'nguyen' },
  { d: 'van der Berg', a: 'vanderberg' }, { d: 'de la Cruz', a: 'delacruz' }, { d: 'Łąkowska', a: 'lakowska' }, { d: 'Patel', a: 'patel' },
  { d: 'Thompson 🐝', a: 'thompson' }, { d: 'Kim', a: 'kim' }, { d: 'Wright-Ødegård', a: 'wrightodegard' }, { d: 'Fernández', a: 'fernandez' },
  { d: 'Smith & Sons', a: 'smithsons' }, { d: 'Lee', a: 'lee' }, { d: 'Björk', a: 'bjork' }, { d: 'Rossi', a: 'rossi' },
];

export const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example', 'inbox.example'];

export const ADJECTIVES: readonly string[] = [
  'Classic', 'Organic', 'Crème', 'Über-Soft', 'Vintage', 'Handmade', 'Nordic', 'Café', 'Everyday', 'Premium',
  'Rustic', 'Lightweight', 'Piñata', 'Señor', 'Naïve', 'Smörgås', 'Zen', 'Cozy', 'Deluxe', 'Mini',
];

export const MATERIALS: readonly string[] = [
  'Linen', 'Cotton', 'Bamboo', 'Ceramic', 'Leather', 'Oak', 'Wool', 'Copper', 'Glass', 'Merino', 'Hemp', 'Cashmere', 'Walnut',
];

export const NOUNS: readonly string[] = [
  'Tote Bag', 'Mug', 'T-Shirt', 'Scarf', 'Candle', 'Notebook', 'Socks', 'Cutting Board', 'Teapot', 'Beanie',
  'Throw Blanket', 'Water Bottle', 'Apron', 'Planter', 'Wallet', 'Hoodie', 'Salt & Pepper Set', 'Desk Lamp', 'Backpack', 'Coaster Set',
];

export const TITLE_EMOJI: readonly string[] = ['✨', '🌿', '🔥', '☕', '🎁', '🧦', '💎', '🌈', '🐝', '🍂', '❤️', '👩‍🍳'];

export const CATEGORIES: readonly string[] = [
  'Home & Kitchen', 'Apparel', 'Café ☕', 'Outdoor', 'Accessories', 'Stationery', 'Gifts 🎁', 'Bath & Body', 'Décor', 'Kids',
];

export const VENDORS: readonly string[] = [
  'Acme Goods', 'Müller & Söhne', 'Nordic Ærø Co.', '株式会社サンプル', 'Maison Étoile', 'Studio “Loom”', 'Green Leaf 🌱', 'Ōkami Works',
];

export interface OptionSet {
  readonly name: string;
  readonly values: readonly Name[];
}

/** Variant option lists; `a` is the SKU suffix. */
export const OPTION_SETS: readonly OptionSet[] = [
  { name: 'Size', values: [{ d: 'XS', a: 'XS' }, { d: 'S', a: 'S' }, { d: 'M', a: 'M' }, { d: 'L', a: 'L' }, { d: 'XL', a: 'XL' }] },
  {
    name: 'Colour',
    values: [
      { d: 'Red', a: 'RED' }, { d: 'Midnight Blue', a: 'MIDBLUE' }, { d: 'Crème', a: 'CREME' }, { d: 'Olive 🌿', a: 'OLIVE' },
      { d: 'Charcoal', a: 'CHAR' }, { d: 'Sunflower 🌻', a: 'SUN' },
    ],
  },
  { name: 'Volume', values: [{ d: '250 ml', a: '250ML' }, { d: '500 ml', a: '500ML' }, { d: '1 L', a: '1L' }, { d: '2 L', a: '2L' }] },
  { name: 'Scent', values: [{ d: 'Lavender', a: 'LAV' }, { d: 'Cedar & Sage', a: 'CEDAR' }, { d: 'Fig', a: 'FIG' }, { d: 'Unscented', a: 'NONE' }, { d: 'Vanille', a: 'VAN' }] },
];

export const PROMO_WORDS: readonly string[] = ['SPRING', 'SUMMER', 'AUTUMN', 'WINTER', 'FLASH', 'VIP', 'HELLO', 'THANKS', 'BFCM', 'CYBER', 'MERCI', 'SALE'];

export const PROMO_TITLE_EMOJI: readonly string[] = ['🎉', '🔥', '🎁', '🛍️', '✨', '🚚', '💸'];
