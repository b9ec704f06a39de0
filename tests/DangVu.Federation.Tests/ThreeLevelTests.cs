namespace DangVu.Federation.Tests;

/// <summary>
/// Three separate host processes — city (root) → ward → chi bộ — each with its own data folder:
/// a note written at the chi bộ reaches the city through the ward, and so does its deletion.
/// </summary>
public sealed class ThreeLevelTests
{
    [Fact]
    public async Task A_note_written_at_the_chi_bo_reaches_the_city_through_the_ward_and_its_deletion_follows()
    {
        await using var city = new FederationNode("node-hn");
        await using var ward = new FederationNode("node-bd");
        await using var leaf = new FederationNode("node-cb1");
        await Task.WhenAll(
            Enrolment.PrepareAsync(city, root: true),
            Enrolment.PrepareAsync(ward, root: false),
            Enrolment.PrepareAsync(leaf, root: false));
        await leaf.Installation.InstallFixtureAsync("Notes");
        await city.ServeAsync();
        await Enrolment.EnrolAsync(city, ward, "HN.BD");
        await ward.ServeAsync();
        await Enrolment.EnrolAsync(ward, leaf, "HN.BD.CB1");
        var id = await LeafNotes.CreateAsync(leaf, "HN.BD.CB1", "Kế hoạch sinh hoạt tháng 12");

        (await leaf.RunOkAsync("federation", "sync")).Stdout.Should().Contain("pushed 1 applied");
        (await ward.RunOkAsync("federation", "sync")).Stdout.Should().Contain("pushed 1 applied");

        const string AtCity = "SELECT COUNT(*) FROM fed_replicas WHERE \"OriginNode\" = 'node-cb1' AND \"Module\" = 'notes' AND \"OwnerOrgCode\" = 'HN.BD.CB1' AND \"Deleted\" = {0}";
        (await ward.Installation.QueryAsync<long>("federation", string.Format(AtCity, "false"))).Should().Be(1);
        (await city.Installation.QueryAsync<long>("federation", string.Format(AtCity, "false"))).Should().Be(1);
        (await city.Installation.QueryAsync<string>("federation", "SELECT \"Payload\" FROM fed_replicas")).Should().Contain("Kế hoạch sinh hoạt tháng 12").And.Contain(id.ToString());

        await LeafNotes.DeleteAsync(leaf, id);
        await leaf.RunOkAsync("federation", "sync");
        await ward.RunOkAsync("federation", "sync");

        (await city.Installation.QueryAsync<long>("federation", string.Format(AtCity, "true"))).Should().Be(1, "the deletion travels up as a tombstone");
        (await city.Installation.QueryAsync<long>("federation", "SELECT COUNT(*) FROM fed_replicas")).Should().Be(1);
    }
}
