package io.tunelab.dataset;

import java.util.Map;

/**
 * How a clip ingest cut its videos into stacks, and how many videos each split holds; the stacks
 * themselves are the profile's {@code counts}.
 *
 * @param frames frames in a stack ({@code --clip-frames})
 * @param stride frames from one stack's start to the next's ({@code --clip-stride})
 * @param frameSize side of the square frames ({@code --frame-size})
 * @param videos split name to class name to the number of videos whose stacks it holds
 */
public record ClipStats(
    int frames, int stride, int frameSize, Map<String, Map<String, Integer>> videos) {}
