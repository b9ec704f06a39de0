using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Federation;

/// <summary>
/// Pushes to the parent continuously: every <c>Federation:SyncIntervalSeconds</c> (10), backing off up to 5 minutes
/// while it fails; <c>Federation:BackgroundSync=false</c> leaves it to <c>dangvu federation sync</c>.
/// </summary>
internal sealed partial class FederationBackgroundSync(FederationPusher pusher, IConfiguration configuration, ILogger<FederationBackgroundSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Federation:BackgroundSync", true))
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Federation:SyncIntervalSeconds", 10)));
        var delay = interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await pusher.PushAsync(stoppingToken) is { } report && report.Applied > 0)
                {
                    LogPushed(logger, report.Applied, report.Parent);
                }

                delay = interval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, delay.Ticks * 2));
                LogFailed(logger, ex.Message, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Federation: pushed {Count} changes to {Parent}")]
    private static partial void LogPushed(ILogger logger, int count, string parent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Federation: push failed ({Error}); retrying in {Seconds} s")]
    private static partial void LogFailed(ILogger logger, string error, double seconds);
}
