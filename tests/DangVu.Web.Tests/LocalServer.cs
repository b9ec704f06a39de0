using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace DangVu.Web.Tests;

/// <summary>Starts <c>dangvu serve</c> on loopback and, when asked, on this machine's non-loopback address too.</summary>
internal static class LocalServer
{
    /// <summary>An IPv4 address of this machine that is not loopback, or null.</summary>
    public static IPAddress? OutsideAddress { get; } = NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    public static DangVuServer Start(TestInstallation installation, IPAddress? alsoOn = null, IDictionary<string, string>? environment = null) =>
        installation.Cli.Serve(environment, alsoOn);
}
