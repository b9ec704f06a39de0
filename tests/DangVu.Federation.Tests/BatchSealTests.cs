using System.Security.Cryptography;
using DangVu.Contracts.Federation.V1;
using DangVu.Core.Federation;
using Google.Protobuf;

namespace DangVu.Federation.Tests;

/// <summary>
/// A batch's seal is the SHA-256 of its module, its checkpoint and each change's wire bytes in
/// order: nodes of different versions check each other's batches, so how it is computed must not
/// change the bytes hashed.
/// </summary>
public sealed class BatchSealTests
{
    [Fact]
    public void The_seal_hashes_the_module_the_checkpoint_and_every_change_as_sent_large_and_small_alike()
    {
        var batch = new ChangeBatch { Module = "members", Checkpoint = 77 };
        batch.Changes.Add(Enrolment.Change("node-cb1", 1, Guid.CreateVersion7(), "HN.BD.CB1", title: "Nguyễn Văn An"));
        batch.Changes.Add(Enrolment.Change("node-cb1", 2, Guid.CreateVersion7(), "HN.BD.CB1", title: new string('ằ', 9000)));
        batch.Changes.Add(Enrolment.Change("node-cb1", 3, Guid.CreateVersion7(), "HN.BD.CB1", title: "Trần Thị Lan"));

        var expected = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("members")
            .Concat(BitConverter.GetBytes(77L))
            .Concat(batch.Changes.SelectMany(c => c.ToByteArray()))
            .ToArray());

        ReplicaApplier.Digest(batch).ToByteArray().Should().Equal(expected);
        ReplicaApplier.Digest(batch).ToByteArray().Should().Equal(expected, "a rented buffer leaves nothing behind between seals");
    }

    [Fact]
    public void A_change_altered_after_sealing_no_longer_matches_the_seal()
    {
        var batch = ReplicaApplier.Seal(new ChangeBatch { Module = "members", Checkpoint = 3, Changes = { Enrolment.Change("node-cb1", 1, Guid.CreateVersion7(), "HN.BD.CB1", title: "An") } });

        batch.Changes[0].Version++;

        ReplicaApplier.Digest(batch).ToByteArray().Should().NotEqual(batch.Digest.ToByteArray());
    }
}
