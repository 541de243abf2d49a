/** Types for json-source-map 0.6 (the package ships none): only what KLAR uses. */
declare module 'json-source-map' {
	export interface Location {
		/** Zero-based. */
		line: number;
		/** Zero-based. */
		column: number;
		pos: number;
	}
	export interface Pointer {
		key?: Location;
		keyEnd?: Location;
		value: Location;
		valueEnd: Location;
	}
	export function parse(json: string): { data: unknown; pointers: Record<string, Pointer> };
}
