using System.CommandLine;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Modules;
using DangVu.Core.Platform;

namespace DangVu.Host.Cli;

/// <summary>
/// Runs a verb and turns the errors a person can act on into a message and a non-zero exit
/// code, instead of a stack trace.
/// </summary>
internal static class CliAction
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Unexpected = 70;

    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction((parse, cancellationToken) => GuardAsync(() => action(parse, cancellationToken), cancellationToken));

    /// <summary>Runs <paramref name="action"/>, turning what a person can act on into a message and an exit code.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Error(ex.Message);
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Failed;
        }
        catch (Exception ex)
        {
            Error($"Lỗi không mong đợi (unexpected error): {ex.GetType().Name}: {ex.Message}");
            return Unexpected;
        }
    }

    /// <summary>Errors go to standard error, unwrapped, so that scripts can read standard output as data and grep the message.</summary>
    public static void Error(string message) => Console.Error.WriteLine($"Lỗi (error): {message}");

    /// <summary>A note for the person at the terminal, kept off standard output.</summary>
    public static void Note(string message) => Console.Error.WriteLine(message);

    private static bool IsUserError(Exception ex) =>
        ex is CliException or ModuleLoadException or DangVuException or InvalidDataException or OrgImportException or CalendarImportException;
}

/// <summary>A refusal of the command line, with the message to show.</summary>
internal sealed class CliException(string message) : Exception(message);
