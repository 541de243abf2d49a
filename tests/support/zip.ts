import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A zip archive as GENESIS writes one: deflated entries, flag 0x0808 (UTF-8 names, sizes and
 * checksum in a data descriptor after the data, zeros in the local header), so tests cover the
 * layout a reader must not take from the local header. `corrupt` changes a byte of an entry's
 * stored data after its checksum was taken, to another ASCII character, so that only the
 * checksum can notice (a streaming reader reads the text before the checksum is known).
 */
export function genesisZip(
	entries: { name: string; data: Buffer | string; stored?: boolean }[],
	options: { corrupt?: boolean } = {}
): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const data = Buffer.from(entry.data);
		const name = Buffer.from(entry.name, 'utf8');
		const method = entry.stored ? 0 : 8;
		const packed = Buffer.from(entry.stored ? data : deflateRawSync(data));
		if (options.corrupt) packed[Math.floor(packed.length / 2)]! ^= 0x01;
		const checksum = crc32(data) >>> 0;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0808, 6);
		local.writeUInt16LE(method, 8);
		local.writeUInt16LE(name.length, 26);
		const descriptor = Buffer.alloc(16);
		descriptor.writeUInt32LE(0x08074b50, 0);
		descriptor.writeUInt32LE(checksum, 4);
		descriptor.writeUInt32LE(packed.length, 8);
		descriptor.writeUInt32LE(data.length, 12);
		locals.push(local, name, packed, descriptor);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0808, 8);
		central.writeUInt16LE(method, 10);
		central.writeUInt32LE(checksum, 16);
		central.writeUInt32LE(packed.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		centrals.push(central, name);
		offset += local.length + name.length + packed.length + descriptor.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}
