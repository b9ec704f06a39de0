using DangVu.Core.Tests.Support;

namespace DangVu.Core.Tests.Storage;

public sealed class RecordIdTests
{
    [Fact]
    public void New_records_get_distinct_version_7_ids_stamped_with_the_time_they_were_made()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Past several blocks of the random bits drawn at once.
        var ids = Enumerable.Range(0, 20_000).Select(_ => new LedgerEntry().Id).ToList();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        ids.Should().OnlyHaveUniqueItems();
        ids.Should().AllSatisfy(id =>
        {
            id.Version.Should().Be(7);
            (id.Variant & 0xC).Should().Be(0x8, "RFC 9562 variant 10xx");
            var stamp = Convert.ToInt64(id.ToString("N")[..12], 16);
            stamp.Should().BeInRange(before, after);
        });
    }

    [Fact]
    public void Ids_made_in_later_milliseconds_sort_after_earlier_ones_as_text_and_as_bytes()
    {
        var first = new LedgerEntry().Id;
        Thread.Sleep(5);
        var second = new LedgerEntry().Id;

        string.CompareOrdinal(first.ToString(), second.ToString()).Should().BeNegative();
        second.CompareTo(first).Should().BePositive();
    }

    [Fact]
    public void The_random_bits_of_ids_made_in_one_millisecond_are_not_repeated_across_threads()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                ids.Add(new LedgerEntry().Id);
            }
        });

        ids.Select(id => id.ToString("N")[13..]).Should().OnlyHaveUniqueItems();
    }
}
