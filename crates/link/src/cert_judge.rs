//! A TLS server-certificate verifier made of one function. rustls asks a custom verifier for
//! four things; posdiag's verifiers differ only in how they judge the certificate (a nexo
//! terminal's name and pinned CA, identify's look-only), so the three signature questions are
//! answered here once, by the crypto provider's own algorithms.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::DigitallySignedStruct;

/// How a verifier judges the server's certificate: the end entity, the intermediates, now.
pub trait JudgeCertificate: Send + Sync {
    fn judge(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error>;
}

/// A verifier: the certificate judged by `J`, the handshake signatures by the provider.
pub struct CertJudge<J> {
    provider: Arc<CryptoProvider>,
    judge: J,
}

impl<J: JudgeCertificate> CertJudge<J> {
    pub fn new(provider: Arc<CryptoProvider>, judge: J) -> Self {
        CertJudge { provider, judge }
    }
}

impl<J> fmt::Debug for CertJudge<J> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CertJudge")
    }
}

impl<J: JudgeCertificate> ServerCertVerifier for CertJudge<J> {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.judge.judge(end_entity, intermediates, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
