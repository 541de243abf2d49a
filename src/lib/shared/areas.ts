import { z } from 'zod';

/**
 * An information area's id ("Bereich"). Areas are catalogue data (see `#shared/catalogue`): a
 * city creates, renames and orders its own; the demo's seven are one catalogue among others.
 */
export const AreaId = z
	.string({ error: 'Bitte eine Kennung angeben.' })
	.regex(
		/^[a-z][a-z0-9_-]{0,39}$/,
		'Die Kennung besteht aus Kleinbuchstaben, Ziffern, - und _ (z. B. „gesundheit“).'
	);
export type AreaId = z.infer<typeof AreaId>;
