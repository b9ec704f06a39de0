using DangVu.Core.Abstractions.Errors;
using FluentAssertions.Specialized;

namespace DangVu.Modules.Members.Tests.Support;

internal static class Errors
{
    /// <summary>Asserts a rule refusal naming <paramref name="rule"/>, with a Vietnamese message.</summary>
    public static async Task<RuleViolationException> RefusedBy(this Func<Task> act, string rule)
    {
        var error = (await act.Should().ThrowAsync<RuleViolationException>()).Which;
        error.Rule.Should().Be(rule);
        error.MessageVi.Should().NotBeNullOrWhiteSpace().And.NotBe(error.MessageEn);
        return error;
    }

    /// <summary>Asserts an invalid-argument error naming <paramref name="field"/>, with a Vietnamese message.</summary>
    public static async Task<InvalidArgumentException> InvalidField(this Func<Task> act, string field)
    {
        var error = (await act.Should().ThrowAsync<InvalidArgumentException>()).Which;
        error.Field.Should().Be(field);
        error.MessageVi.Should().NotBeNullOrWhiteSpace().And.NotBe(error.MessageEn);
        return error;
    }

    public static InvalidArgumentException InvalidField(this Action act, string field)
    {
        var error = act.Should().Throw<InvalidArgumentException>().Which;
        error.Field.Should().Be(field);
        return error;
    }

    public static Task<ExceptionAssertions<PermissionDeniedException>> Denied(this Func<Task> act) =>
        act.Should().ThrowAsync<PermissionDeniedException>();
}
