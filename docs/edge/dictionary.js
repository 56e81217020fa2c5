// nginx (njs): the hex SHA-256 that an `Available-Dictionary` request
// header names, or "" when it names none. A delta of an export is stored
// as `<hashed path>.<that hex>.dcb` (or `.dcz`), so this picks its file.
// Strict: one structured-field byte sequence of 32 bytes, nothing else.
function hex(r) {
    const value = r.headersIn['Available-Dictionary'] || '';
    const m = /^\s*:([A-Za-z0-9+\/]{43}=):\s*$/.exec(value);
    return m ? Buffer.from(m[1], 'base64').toString('hex') : '';
}

export default { hex };
