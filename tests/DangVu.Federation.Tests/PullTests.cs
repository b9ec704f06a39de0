namespace DangVu.Federation.Tests;

/// <summary>
/// Down-bound changes: a child pulls the parent's records addressed to its subtree (published
/// above it, or owned inside it) and nothing addressed elsewhere.
/// </summary>
public sealed class PullTests
{
    [Fact]
    public async Task A_child_pulls_what_the_parent_publishes_above_its_subtree_and_not_what_belongs_to_a_sibling()
    {
        await using var parent = new FederationNode("node-hn");
        await using var child = new FederationNode("node-cb1");
        await Task.WhenAll(Enrolment.PrepareAsync(parent, root: true), Enrolment.PrepareAsync(child, root: false));
        await parent.Installation.InstallFixtureAsync("Notes");
        await child.Installation.InstallFixtureAsync("Notes");
        var published = await LeafNotes.CreateAsync(parent, "HN", "Mức đóng đảng phí năm 2027");
        await LeafNotes.CreateAsync(parent, "HN.BD.CB2", "Chỉ cho chi bộ 2");
        await parent.ServeAsync();
        await Enrolment.EnrolAsync(parent, child, "HN.BD.CB1");

        var sync = await child.RunOkAsync("federation", "sync");

        sync.Stdout.Should().Contain("pulled 1");
        (await child.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas")).Should().Be(1);
        (await child.Installation.QueryAsync<string>("federation", "SELECT \"Payload\" FROM fed_replicas WHERE \"OriginNode\" = 'node-hn' AND \"OwnerOrgCode\" = 'HN'"))
            .Should().Contain("Mức đóng đảng phí năm 2027").And.Contain(published.ToString());

        // Resumes after its checkpoint: nothing twice; and what came down never goes back up.
        var again = await child.RunOkAsync("federation", "sync");
        again.Stdout.Should().Contain("pushed 0 applied").And.Contain("pulled 0");
        (await parent.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas")).Should().Be(0);
    }
}
