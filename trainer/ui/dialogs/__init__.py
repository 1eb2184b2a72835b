"""Small modal questions shared by several screens."""
