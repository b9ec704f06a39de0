using DangVu.Modules.Members.Application;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class SeenNumbersTests
{
    [Fact]
    public void A_number_met_again_gives_the_line_it_was_first_met_on()
    {
        var seen = new SeenNumbers();

        seen.TryAdd("001203004567", 2, out _).Should().BeTrue();
        seen.TryAdd("001203004568", 3, out _).Should().BeTrue();
        seen.TryAdd("001203004567", 9, out var earlier).Should().BeFalse();
        earlier.Should().Be(2);
        seen.TryAdd("001203004567", 10, out earlier).Should().BeFalse();
        earlier.Should().Be(2);
    }

    [Theory]
    [InlineData("1", "01")]
    [InlineData("01", "001")]
    [InlineData("AB-1", "ab-1")]
    [InlineData("12/2026", "12.2026")]
    [InlineData("ZZZZZZZZZZZZZZZZZZZZ", "zzzzzzzzzzzzzzzzzzzz")]
    [InlineData("....................", "///////////////////")]
    public void Numbers_that_differ_in_any_character_leading_zero_or_letter_case_are_different(string one, string other)
    {
        var seen = new SeenNumbers();

        seen.TryAdd(one, 1, out _).Should().BeTrue();
        seen.TryAdd(other, 2, out _).Should().BeTrue();
    }

    [Fact]
    public void Every_distinct_short_number_of_a_large_set_is_new_once_and_a_repeat_after()
    {
        var seen = new SeenNumbers();
        var values = Enumerable.Range(0, 50_000).Select(n => n.ToString("D12")).Concat(Enumerable.Range(0, 5_000).Select(n => $"HS-{n}/2026"))
            .Concat(Enumerable.Range(0, 5_000).Select(n => n.ToString("X"))).Distinct().ToList();

        var first = values.Select((v, i) => seen.TryAdd(v, i + 1, out _)).ToList();
        var again = values.Select(v => seen.TryAdd(v, 0, out var earlier) ? -1 : earlier).ToList();

        first.Should().AllSatisfy(added => added.Should().BeTrue());
        again.Should().Equal(Enumerable.Range(1, values.Count));
    }

    [Theory]
    [InlineData("123456789012345678901")] // longer than a checked number
    [InlineData("số-1")] // a character outside the checked ones
    [InlineData("")]
    public void Values_outside_the_checked_form_are_still_told_apart_and_repeats_found(string value)
    {
        var seen = new SeenNumbers();

        seen.TryAdd(value, 4, out _).Should().BeTrue();
        seen.TryAdd(value + "x", 5, out _).Should().BeTrue();
        seen.TryAdd(value, 6, out var earlier).Should().BeFalse();
        earlier.Should().Be(4);
    }
}
