using DangVu.Contracts.Federation.V1;
using DangVu.Core.Federation;
using Google.Protobuf;

namespace DangVu.Federation.Tests;

/// <summary>
/// A page of the change feed larger than the max message size is sent as several batches, each
/// under the limit and sealed, holding every change once and in order; the parts' checkpoints
/// rise to the page's, so a receiver stopped between two parts resumes inside the page.
/// </summary>
public sealed class BatchPartsTests
{
    [Fact]
    public void A_page_larger_than_the_limit_is_cut_into_sealed_parts_under_it_holding_every_change_once_in_order()
    {
        var page = Page(checkpoint: 40, count: 30, payloadBytes: 1000);

        var parts = ReplicaApplier.SealInParts(page, maxBytes: 8 * 1024).ToList();

        parts.Should().HaveCountGreaterThan(3);
        parts.Should().OnlyContain(p => p.CalculateSize() <= 8 * 1024 && p.Module == "notes");
        parts.SelectMany(p => p.Changes).Select(c => c.Sequence).Should().Equal(page.Changes.Select(c => c.Sequence));
        parts.Should().OnlyContain(p => p.Digest.Equals(ReplicaApplier.Digest(p)), "each part is sealed on its own");
        parts.Select(p => p.Checkpoint).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        parts.SkipLast(1).Should().OnlyContain(p => p.Checkpoint == p.Changes.Last().Sequence);
        parts[^1].Checkpoint.Should().Be(40, "the last part carries the page's checkpoint, past entries the page skipped");
    }

    [Fact]
    public void A_page_under_the_limit_goes_whole_and_a_change_larger_than_the_limit_goes_alone()
    {
        var small = Page(checkpoint: 5, count: 5, payloadBytes: 100);
        ReplicaApplier.SealInParts(small).Should().ContainSingle().Which.Should().BeSameAs(small);

        var page = Page(checkpoint: 3, count: 3, payloadBytes: 100);
        page.Changes[1].Payload = ByteString.CopyFrom(new byte[10_000]);
        ReplicaApplier.SealInParts(page, maxBytes: 4096).Select(p => p.Changes.Count).Should().Equal(1, 1, 1);
    }

    [Fact]
    public void The_default_limit_is_the_transports_max_message_size()
    {
        // 5,000 member files of about 1 KB: the page the benchmark's batch size 5,000 used to send whole, and the transport refused.
        var page = Page(checkpoint: 5000, count: 5000, payloadBytes: 1080);
        page.CalculateSize().Should().BeGreaterThan(4 * 1024 * 1024);

        ReplicaApplier.SealInParts(page).Should().HaveCount(2).And.OnlyContain(p => p.CalculateSize() <= 4 * 1024 * 1024);
    }

    private static ChangeBatch Page(long checkpoint, int count, int payloadBytes)
    {
        var page = new ChangeBatch { Module = "notes", Checkpoint = checkpoint };
        for (var i = 1; i <= count; i++)
        {
            page.Changes.Add(Enrolment.Change("node-cb1", i, Guid.CreateVersion7(), "HN.BD.CB1", title: new string('a', payloadBytes)));
        }

        return page;
    }
}
