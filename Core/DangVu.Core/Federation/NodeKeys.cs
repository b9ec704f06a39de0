using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Hosting;

namespace DangVu.Core.Federation;

/// <summary>
/// The node's key material in <c>&lt;data&gt;/keys</c> (files 0600, never in the repository):
/// <c>node.key</c> (the node's ECDSA P-256 key), <c>node.crt</c> (its node certificate, once
/// issued), <c>ca.key</c>/<c>ca.crt</c> (the node CA that signs its children's certificates and
/// its own TLS server certificate), <c>tls.crt</c> (the gRPC server certificate, key node.key),
/// <c>parent-ca.crt</c> (the parent's CA, which the node trusts for its parent's server).
/// </summary>
internal sealed class NodeKeys(DangVuInstallation installation)
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan NodeLifetime = TimeSpan.FromDays(730);

    public string Directory => Path.Combine(installation.DataDirectory, "keys");

    public string NodeId => installation.NodeId;

    public string NodeKeyPath => Path.Combine(Directory, "node.key");

    public string NodeCertificatePath => Path.Combine(Directory, "node.crt");

    public string CaKeyPath => Path.Combine(Directory, "ca.key");

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    public string TlsCertificatePath => Path.Combine(Directory, "tls.crt");

    public string ParentCaPath => Path.Combine(Directory, "parent-ca.crt");

    public string RootMarkerPath => Path.Combine(Directory, "root");

    public bool Initialised => File.Exists(NodeKeyPath) && File.Exists(CaCertificatePath);

    public bool IsRoot => File.Exists(RootMarkerPath);

    public bool HasNodeCertificate => File.Exists(NodeCertificatePath);

    /// <summary>
    /// Creates the node key, the node CA and the TLS server certificate; a root also issues its
    /// own node certificate. Refuses to overwrite existing keys.
    /// </summary>
    public void Initialise(bool root, IEnumerable<string> hostNames)
    {
        if (File.Exists(NodeKeyPath))
        {
            throw new RuleViolationException("federation",
                $"Nút đã có khoá tại {Directory}; không tạo lại",
                $"the node already has keys in {Directory}; they are not replaced");
        }

        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var nodeKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WriteSecret(NodeKeyPath, nodeKey.ExportPkcs8PrivateKeyPem());
        WriteSecret(CaKeyPath, caKey.ExportPkcs8PrivateKeyPem());

        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var caRequest = new CertificateRequest($"CN=DangVu node CA {NodeId}, O=DangVu", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now, now + CaLifetime);
        WritePublic(CaCertificatePath, ca.ExportCertificatePem());

        var tlsRequest = new CertificateRequest($"CN={NodeId}, O=DangVu", nodeKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        foreach (var host in hostNames.Append(Environment.MachineName).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else if (host.Length > 0)
            {
                names.AddDnsName(host);
            }
        }

        tlsRequest.CertificateExtensions.Add(names.Build());
        tlsRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        tlsRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var tls = tlsRequest.Create(ca, now, now + CaLifetime, SerialNumber());
        WritePublic(TlsCertificatePath, tls.ExportCertificatePem());

        if (root)
        {
            using var own = Issue(CreateSigningRequest(), ca, caKey);
            WritePublic(NodeCertificatePath, own.ExportCertificatePem());
            WritePublic(RootMarkerPath, NodeId);
        }
    }

    /// <summary>A PKCS#10 request (DER) for this node's certificate, CN = node id.</summary>
    public byte[] CreateSigningRequest()
    {
        using var key = LoadNodeKey();
        var request = new CertificateRequest($"CN={NodeId}, O=DangVu", key, HashAlgorithmName.SHA256);
        return request.CreateSigningRequest();
    }

    /// <summary>Signs a child's request with this node's CA: a client-and-server node certificate.</summary>
    public X509Certificate2 SignChildRequest(byte[] csr, string expectedNodeId)
    {
        var request = CertificateRequest.LoadSigningRequest(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        var commonName = new X500DistinguishedName(request.SubjectName.RawData).GetCommonName();
        if (commonName != expectedNodeId)
        {
            throw new RuleViolationException("federation",
                $"Yêu cầu ký mang tên '{commonName}', không phải nút '{expectedNodeId}'",
                $"the signing request names '{commonName}', not node '{expectedNodeId}'");
        }

        using var caKey = LoadKey(CaKeyPath);
        using var ca = LoadCaCertificate();
        return Issue(csr, ca, caKey);
    }

    public X509Certificate2 LoadCaCertificate() => X509Certificate2.CreateFromPem(File.ReadAllText(Require(CaCertificatePath)));

    public X509Certificate2 LoadParentCa() => X509Certificate2.CreateFromPem(File.ReadAllText(Require(ParentCaPath)));

    /// <summary>The TLS server certificate with its key, for Kestrel; null when the node has no keys yet.</summary>
    public X509Certificate2? LoadServerCertificate() =>
        File.Exists(TlsCertificatePath) && File.Exists(NodeKeyPath)
            ? X509Certificate2.CreateFromPemFile(TlsCertificatePath, NodeKeyPath)
            : null;

    /// <summary>The node certificate with its key, for calls to the parent.</summary>
    public X509Certificate2 LoadNodeCertificate() =>
        X509Certificate2.CreateFromPemFile(Require(NodeCertificatePath), Require(NodeKeyPath));

    public void StoreIssued(byte[] certificate, byte[] parentCa)
    {
        using var issued = X509CertificateLoader.LoadCertificate(certificate);
        using var ca = X509CertificateLoader.LoadCertificate(parentCa);
        using var key = LoadNodeKey();
        using var mine = issued.GetECDsaPublicKey();
        if (mine is null || !mine.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo())
            || !FederationTrust.ChainsTo(issued, ca))
        {
            throw new RuleViolationException("federation",
                "Chứng chỉ nhận được không khớp khoá của nút hoặc không do CA của nút cha ký",
                "the certificate received does not match this node's key or is not signed by the parent's CA");
        }

        WritePublic(NodeCertificatePath, issued.ExportCertificatePem());
        WritePublic(ParentCaPath, ca.ExportCertificatePem());
    }

    private static X509Certificate2 Issue(byte[] csr, X509Certificate2 ca, ECDsa caKey)
    {
        var request = CertificateRequest.LoadSigningRequest(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        request.CertificateExtensions.Clear();
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = now + NodeLifetime < ca.NotAfter ? now + NodeLifetime : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var generator = X509SignatureGenerator.CreateForECDsa(caKey);
        return request.Create(ca.SubjectName, generator, now, notAfter, SerialNumber());
    }

    private ECDsa LoadNodeKey() => LoadKey(Require(NodeKeyPath));

    private static ECDsa LoadKey(string path)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    private string Require(string path) =>
        File.Exists(path)
            ? path
            : throw new RuleViolationException("federation",
                $"Thiếu {Path.GetFileName(path)} trong {Directory}; hãy chạy 'dangvu federation init' (và nhận chứng chỉ từ nút cha)",
                $"{Path.GetFileName(path)} is missing in {Directory}; run 'dangvu federation init' (and accept a certificate from the parent)");

    private static byte[] SerialNumber() => RandomNumberGenerator.GetBytes(16).Select((b, i) => i == 0 ? (byte)(b & 0x7F) : b).ToArray();

    private static void WriteSecret(string path, string pem)
    {
        using (File.Create(path))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, pem);
    }

    private static void WritePublic(string path, string pem) => WriteSecret(path, pem);
}

internal static class DistinguishedNameExtensions
{
    public static string GetCommonName(this X500DistinguishedName name) =>
        name.EnumerateRelativeDistinguishedNames()
            .FirstOrDefault(r => r.GetSingleElementType().Value == "2.5.4.3")?.GetSingleElementValue() ?? "";
}
