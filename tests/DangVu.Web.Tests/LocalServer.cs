using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace DangVu.Web.Tests;

/// <summary>Starts <c>dangvu serve</c> on loopback and, when the machine has one, on a non-loopback address too.</summary>
internal static class LocalServer
{
    /// <summary>An IPv4 address of this machine that is not loopback, or null.</summary>
    public static IPAddress? OutsideAddress { get; } = NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    public static DangVuServer Start(TestInstallation installation, IPAddress? alsoOn = null, IDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var grpcPort = FreePort();
        var urls = $"http://127.0.0.1:{port}" + (alsoOn is null ? "" : $";http://{alsoOn}:{port}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = installation.Home,
        };
        foreach (var arg in new[] { DangVuCommand.DangVuDll, "--home", installation.Home, "serve", "--urls", urls, "--grpc-urls", $"http://127.0.0.1:{grpcPort}" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("DANGVU_HOME");
        foreach (var (key, value) in installation.Cli.Environment.Concat(environment ?? new Dictionary<string, string>()))
        {
            info.Environment[key] = value;
        }

        return new DangVuServer(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"), new Uri($"http://127.0.0.1:{grpcPort}"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
