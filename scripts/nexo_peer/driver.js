#!/usr/bin/env node
// posdiag's independent nexo peer: Adyen's @adyen/api-library does the crypto and the HTTPS
// calls, so posdiag's Rust codec and simulated terminal are checked against code it did not
// write. Dev/CI only. Reads one JSON job on stdin, prints one JSON result on stdout.
//
//   encrypt  {key, plaintext}            -> the secured message NexoCrypto.encrypt builds
//   decrypt  {key, secured}              -> {plaintext} (NexoCrypto.decrypt, HMAC checked)
//   call     {key, endpoint, certificatePath, request}
//            -> {response} from TerminalLocalAPI.request, or {error, status, body}
// key = {passphrase, keyIdentifier, keyVersion}
"use strict";
const { Client, TerminalLocalAPI, NexoCrypto } = require("@adyen/api-library");

function securityKey(key) {
    return {
        AdyenCryptoVersion: 1,
        KeyIdentifier: key.keyIdentifier,
        KeyVersion: key.keyVersion,
        Passphrase: key.passphrase,
    };
}

async function main() {
    const command = process.argv[2];
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const job = JSON.parse(Buffer.concat(chunks).toString("utf-8"));
    const key = securityKey(job.key);
    if (command === "encrypt") {
        const plain = JSON.parse(job.plaintext);
        const root = plain.SaleToPOIRequest ? "SaleToPOIRequest" : "SaleToPOIResponse";
        const secured = NexoCrypto.encrypt(plain[root].MessageHeader, job.plaintext, key);
        return { [root]: secured };
    }
    if (command === "decrypt") {
        const root = job.secured.SaleToPOIRequest ? "SaleToPOIRequest" : "SaleToPOIResponse";
        return { plaintext: new NexoCrypto().decrypt(job.secured[root], key) };
    }
    if (command === "call") {
        const client = new Client({
            apiKey: "posdiag-test-not-a-key",
            environment: "TEST",
            terminalApiLocalEndpoint: job.endpoint,
            certificatePath: job.certificatePath,
        });
        const api = new TerminalLocalAPI(client);
        try {
            const response = await api.request(job.request, key);
            return { response };
        } catch (e) {
            return { error: String(e && e.message), status: e && e.statusCode, body: e && e.responseBody };
        }
    }
    throw new Error(`unknown command '${command}': use encrypt, decrypt or call`);
}

main().then(
    (out) => process.stdout.write(JSON.stringify(out) + "\n"),
    (e) => {
        process.stderr.write(`nexo peer: ${e && e.stack}\n`);
        process.exit(2);
    },
);
