import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { FeedFailure } from './mapping';

/**
 * Reading the one entry of a zip a statistics office delivers (GENESIS answers with a zip that
 * holds one `*_flat.csv`). The entry is found through the central directory at the end of the
 * archive, so local headers whose sizes follow the data (GENESIS sets flag bit 3) need no
 * guessing.
 *
 * A run is one synchronous transaction, and Node's zlib streams only asynchronously: the entry
 * is inflated with fflate's synchronous streaming inflate, a slice of the archive at a time, so
 * memory stays flat however large the table. `MAX_UNZIPPED_BYTES` bounds the work a small
 * archive can cause (checked against the declared size first, and enforced while inflating
 * whatever the archive claims).
 */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** The end record is 22 bytes, followed by a comment of at most 65,535. */
const END_SEARCH_BYTES = 22 + 0xffff;

/** Whether the file starts like a zip archive (local file header signature "PK\3\4"). */
export function isZipStart(bytes: Uint8Array): boolean {
	return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export interface ZipEntry {
	name: string;
	method: number;
	flags: number;
	crc32: number;
	compressedSize: number;
	uncompressedSize: number;
	localHeaderOffset: number;
}

const broken = (detail: string) =>
	new FeedFailure(
		{
			line: null,
			column: null,
			code: 'malformed',
			message: `Das ZIP-Archiv ist beschädigt oder unvollständig (${detail}). Bitte die Datei neu herunterladen.`
		},
		`Broken zip: ${detail}`
	);

function readAt(fd: number, position: number, length: number): Buffer {
	const buffer = Buffer.alloc(length);
	let read = 0;
	while (read < length) {
		const n = readSync(fd, buffer, read, length - read, position + read);
		if (n === 0) break;
		read += n;
	}
	return read === length ? buffer : buffer.subarray(0, read);
}

/** The entries of the archive, from its central directory. */
export function zipEntries(fd: number): ZipEntry[] {
	const size = fstatSync(fd).size;
	const tailLength = Math.min(size, END_SEARCH_BYTES);
	const tail = readAt(fd, size - tailLength, tailLength);
	let end = -1;
	for (let i = tail.length - 22; i >= 0; i--) {
		if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
			end = i;
			break;
		}
	}
	if (end < 0) throw broken('kein Inhaltsverzeichnis am Ende');
	const count = tail.readUInt16LE(end + 10);
	const directorySize = tail.readUInt32LE(end + 12);
	const directoryOffset = tail.readUInt32LE(end + 16);
	// ZIP64 marks its sizes with all ones; GENESIS zips stay far below 4 GB.
	if (count === 0xffff || directoryOffset === 0xffffffff) throw broken('ZIP64 wird nicht gelesen');
	if (directoryOffset + directorySize > size)
		throw broken('Inhaltsverzeichnis außerhalb der Datei');
	const directory = readAt(fd, directoryOffset, directorySize);
	const entries: ZipEntry[] = [];
	let at = 0;
	for (let i = 0; i < count; i++) {
		if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER) {
			throw broken('Inhaltsverzeichnis unlesbar');
		}
		const nameLength = directory.readUInt16LE(at + 28);
		const extraLength = directory.readUInt16LE(at + 30);
		const commentLength = directory.readUInt16LE(at + 32);
		const flags = directory.readUInt16LE(at + 8);
		// Bit 11: the name is UTF-8; otherwise code page 437, which matches ASCII names.
		const name = directory
			.subarray(at + 46, at + 46 + nameLength)
			.toString(flags & 0x800 ? 'utf8' : 'latin1');
		entries.push({
			name,
			flags,
			method: directory.readUInt16LE(at + 10),
			crc32: directory.readUInt32LE(at + 16),
			compressedSize: directory.readUInt32LE(at + 20),
			uncompressedSize: directory.readUInt32LE(at + 24),
			localHeaderOffset: directory.readUInt32LE(at + 42)
		});
		at += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

function tooLargeUnzipped(): FeedFailure {
	const megabytes = MAX_UNZIPPED_BYTES / 1024 / 1024;
	return new FeedFailure(
		{
			line: null,
			column: null,
			code: 'too_large',
			message: `Die Datei im ZIP-Archiv ist entpackt zu groß. Erlaubt sind höchstens ${megabytes} MB; bitte die Tabelle in Teilen abrufen.`
		},
		`Zip entry exceeds ${MAX_UNZIPPED_BYTES} bytes unpacked`
	);
}

/**
 * The bytes of the archive's one entry whose name matches `wanted`, in chunks; `what` names
 * the expected entry in German messages.
 */
export function* zipEntryChunks(
	path: string,
	wanted: RegExp,
	what: string,
	chunkBytes: number
): Generator<Buffer> {
	const fd = openSync(path, 'r');
	try {
		const entries = zipEntries(fd);
		const candidates = entries.filter((e) => wanted.test(e.name) && !e.name.endsWith('/'));
		if (candidates.length !== 1) {
			const names = entries.map((e) => `„${e.name}“`).join(', ') || 'keine';
			throw new FeedFailure(
				{
					line: null,
					column: null,
					code: 'malformed',
					message:
						candidates.length === 0
							? `Das ZIP-Archiv enthält keine ${what}. Enthalten: ${names}.`
							: `Das ZIP-Archiv enthält mehrere ${what}-Dateien (${names}); erwartet ist genau eine.`
				},
				`Expected one entry matching ${wanted}, found ${candidates.length}`
			);
		}
		const entry = candidates[0]!;
		if (entry.flags & 0x1) throw broken('verschlüsselt');
		if (entry.method !== 0 && entry.method !== 8) {
			throw broken(`Packverfahren ${entry.method}; gelesen werden „stored“ und „deflate“`);
		}
		if (entry.uncompressedSize > MAX_UNZIPPED_BYTES) throw tooLargeUnzipped();
		const local = readAt(fd, entry.localHeaderOffset, 30);
		if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_HEADER) {
			throw broken('Dateikopf nicht gefunden');
		}
		const dataStart =
			entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);

		// Inflated pieces wait here until the generator hands them on.
		const ready: Buffer[] = [];
		let unpacked = 0;
		let checksum = 0;
		let ended = entry.method === 0;
		const take = (piece: Uint8Array) => {
			unpacked += piece.length;
			if (unpacked > MAX_UNZIPPED_BYTES) throw tooLargeUnzipped();
			const buffer = Buffer.from(piece.buffer, piece.byteOffset, piece.length);
			checksum = crc32(buffer, checksum);
			ready.push(buffer);
		};
		const inflate = new Inflate((piece, final) => {
			take(piece);
			if (final) ended = true;
		});

		const slice = Buffer.allocUnsafe(chunkBytes);
		let read = 0;
		while (read < entry.compressedSize) {
			const length = Math.min(chunkBytes, entry.compressedSize - read);
			const n = readSync(fd, slice, 0, length, dataStart + read);
			if (n === 0) throw broken('Daten abgeschnitten');
			read += n;
			const last = read === entry.compressedSize;
			// fflate keeps a reference to what it is given: hand it a copy of the slice.
			const piece = Buffer.from(slice.subarray(0, n));
			if (entry.method === 0) take(piece);
			else {
				try {
					inflate.push(piece, last);
				} catch (error) {
					if (error instanceof FeedFailure) throw error;
					throw broken('Daten nicht zu entpacken');
				}
			}
			while (ready.length) {
				const out = ready.shift()!;
				for (let at = 0; at < out.length; at += chunkBytes) {
					yield out.subarray(at, Math.min(at + chunkBytes, out.length));
				}
			}
		}
		// The central directory's size and checksum: a truncated or altered entry is refused.
		if (!ended || unpacked !== entry.uncompressedSize || checksum >>> 0 !== entry.crc32) {
			throw broken('Prüfsumme stimmt nicht');
		}
	} finally {
		closeSync(fd);
	}
}
