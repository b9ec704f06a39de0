using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DangVu.Fixtures.Notes;

/// <summary>
/// For the crash test: with <c>DANGVU_FIXTURE_CRASH_AFTER_COMMIT=1</c> it saves a note with its
/// event at start-up and kills the process right after the commit, before any delivery.
/// </summary>
internal sealed class CrashAfterCommit(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("DANGVU_FIXTURE_CRASH_AFTER_COMMIT") != "1")
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotesDbContext>();
        await NoteWriter.CreateAsync(db, "ghi chú trước sự cố", cancellationToken);
        Environment.FailFast("DangVu fixture: crash after commit");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
